import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../src/server.js';

test('orders are listed newest first with their line counts', async () => {
  const response = await buildApp().handle({ method: 'GET', path: '/api/orders', query: { status: 'paid' } });
  assert.equal(response.status, 200);
  assert.ok(response.body.orders.every((order) => order.status === 'paid'));
  assert.ok(response.body.orders.every((order) => typeof order.lines === 'number'));
});

test('one order comes with its formatted total', async () => {
  const response = await buildApp().handle({ method: 'GET', path: '/api/orders/1040' });
  assert.equal(response.status, 200);
  assert.equal(response.body.total, '$65.50');
});
