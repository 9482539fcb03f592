import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../src/router.js';

test('a route with a parameter receives it', async () => {
  const app = createApp();
  app.get('/api/things/:id', ({ params }) => ({ status: 200, body: params }));
  const response = await app.handle({ method: 'GET', path: '/api/things/42' });
  assert.deepEqual(response, { status: 200, body: { id: '42' } });
});

test('an unknown path answers 404', async () => {
  const app = createApp();
  const response = await app.handle({ method: 'GET', path: '/nowhere' });
  assert.equal(response.status, 404);
});

test('an unexpected error answers 500 and is logged with its route', async () => {
  const logged = [];
  const app = createApp({ logError: (entry) => logged.push(entry) });
  app.post('/api/fail', () => {
    throw new Error('boom');
  });
  const response = await app.handle({ method: 'POST', path: '/api/fail' });
  assert.equal(response.status, 500);
  assert.equal(logged[0].endpoint, 'POST /api/fail');
  assert.equal(logged[0].error_message, 'boom');
});
