import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../src/server.js';

test('products are listed cheapest first', async () => {
  const response = await buildApp().handle({ method: 'GET', path: '/api/products' });
  const prices = response.body.map((product) => product.priceCents);
  assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
});

test('an unknown product answers 404', async () => {
  const response = await buildApp().handle({ method: 'GET', path: '/api/products/999' });
  assert.equal(response.status, 404);
});
