import { describe, expect, it } from 'vitest';
import { literalValue, messageValues } from '../../../../src/adapters/llm/offline/message-values.ts';

describe('the values a recorded message holds for its template', () => {
  it('splits the message at the template’s fixed parts, which may hold regular-expression characters', () => {
    const quasis = ['Column count mismatch in report ', ': expected ', ' fields, got ', ' (row ', ')'];
    expect(messageValues(quasis, 'Column count mismatch in report 48812: expected 7 fields, got 6 (row 1)')).toEqual([
      '48812',
      '7',
      '6',
      '1',
    ]);
    expect(messageValues(['Price ', '$ for ', '.*'], 'Price 4.50$ for a+b.*')).toEqual(['4.50', 'a+b']);
  });

  it('refuses a message the template does not write', () => {
    expect(messageValues(['Invalid quantity ', ' for ', ''], 'Invalid price 2 for SKU-1')).toBeNull();
    expect(messageValues(['Order ', ' not found'], 'Order 7 not found, retrying')).toBeNull();
  });

  it('reads numbers, undefined, null and booleans as the code had them, and keeps the rest as text', () => {
    expect([literalValue('1.5'), literalValue('-3'), literalValue('1042')]).toEqual([1.5, -3, 1042]);
    expect([literalValue('undefined'), literalValue('null'), literalValue('true')]).toEqual([undefined, null, true]);
    // A leading zero or a unit is not a number the code held.
    expect([literalValue('007'), literalValue('12 ms'), literalValue('SKU-1001')]).toEqual(['007', '12 ms', 'SKU-1001']);
  });
});
