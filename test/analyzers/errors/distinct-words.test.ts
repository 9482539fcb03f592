import { describe, expect, it } from 'vitest';
import { namesDistinctEvents } from '../../../src/analyzers/errors/distinct-words.ts';

describe('telling event words from variable values', () => {
  it.each([
    ['sentence words', 'Started', 'Paused'],
    ['states', 'NEW', 'INITED'],
    ['constants with underscores', 'android.intent.action.SCREEN_ON', 'android.intent.action.SCREEN_OFF'],
    ['method names inside a longer token', 'AirPort_Brcm43xx::syncPowerState:', 'AirPort_Brcm43xx::platformWoWEnable:'],
    ['names before a masked value', 'mapResourceRequest:<memory:<NUM>,', 'reduceResourceRequest:<memory:<NUM>,'],
  ])('takes %s with capitals for two events', (_kind, a, b) => {
    expect(namesDistinctEvents(a, b)).toBe(true);
  });

  it.each([
    ['lower-case values', 'emails', 'invoices'],
    ['booleans', 'true', 'false'],
    ['a capital against a lower-case value', 'Admin', 'bob'],
    ['names that hold digits', '[Thunderbird_A8]', '[Thunderbird_B8]'],
    ['placeholders', 'rhost=<IP>', 'rhost=<VAL>'],
    ['the rest of a masked name', '<PATH>.PlayerActivity', '<PATH>.NewsDetailXmlActivity'],
    ['quoted names', "'Price'", "'Quantity'"],
  ])('takes %s for values of one variable', (_kind, a, b) => {
    expect(namesDistinctEvents(a, b)).toBe(false);
  });
});
