import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoney, formatOrderTotal } from '../src/orders/format.js';

test('money is formatted with its symbol and thousands separators', () => {
  assert.equal(formatMoney(123456, 'USD'), '$1,234.56');
  assert.equal(formatMoney(-5, 'EUR'), '-€0.05');
});

test('an order total sums quantity times unit price', () => {
  const order = { id: 1, currency: 'USD', items: [{ sku: 'A', quantity: 2, unitPriceCents: 650 }, { sku: 'B', quantity: 1, unitPriceCents: 100 }] };
  assert.deepEqual(formatOrderTotal(order), { cents: 1400, text: '$14.00' });
});
