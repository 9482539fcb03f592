import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeCsvField, toCsvRow } from '../src/reports/csv.js';

test('fields with commas or quotes are quoted', () => {
  assert.equal(escapeCsvField('plain'), 'plain');
  assert.equal(escapeCsvField('a,b'), '"a,b"');
  assert.equal(escapeCsvField('say "hi"'), '"say ""hi"""');
  assert.equal(escapeCsvField(null), '');
});

test('a row becomes one line in column order', () => {
  const line = toCsvRow(1, ['order', 'total'], { order: 7, total: '$1,000.00' }, 1);
  assert.equal(line, '7,"$1,000.00"');
});
