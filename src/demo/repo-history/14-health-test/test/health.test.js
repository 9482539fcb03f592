import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../src/server.js';

test('the health check answers ok', async () => {
  const response = await buildApp().handle({ method: 'GET', path: '/api/health' });
  assert.deepEqual(response, { status: 200, body: { status: 'ok' } });
});
