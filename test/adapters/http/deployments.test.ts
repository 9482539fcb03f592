import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from './api-harness.ts';

const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') };

describe('deploy markers over the API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('records a marker once: 201, then 200 for the same marker again, 409 for its id with other values, the first kept', async () => {
    const marker = { id: 'ci-812', deployedAt: '2026-01-15T10:00:00+01:00', commit: '4F2C9AB01', ref: 'main', environment: 'production' };
    const first = await api.call('POST', '/api/deployments', { body: marker });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      result: 'recorded',
      deployment: {
        id: 'ci-812',
        deployedAt: '2026-01-15T09:00:00.000Z',
        commit: '4f2c9ab01',
        ref: 'main',
        environment: 'production',
        source: 'api',
      },
    });
    const replay = await api.call('POST', '/api/deployments', { body: marker });
    expect(replay.status).toBe(200);
    expect(replay.body.result).toBe('duplicate');
    const other = await api.call('POST', '/api/deployments', { body: { ...marker, commit: 'abcdef12345' } });
    expect(other.status).toBe(409);
    expect(other.body).toEqual({
      error: 'conflict',
      message: 'Deployment ci-812 was recorded before with other values; the first record stays',
    });
    expect(await api.store.listDeployments(window)).toEqual([first.body.deployment]);
  });

  it('accepts the snake_case spelling of the deployments table', async () => {
    const res = await api.call('POST', '/api/deployments', {
      body: { id: 'gh-77', deployed_at: '2026-01-16T00:00:00Z', commit_sha: 'abc1234' },
    });
    expect(res.status).toBe(201);
    expect(res.body.deployment).toEqual({ id: 'gh-77', deployedAt: '2026-01-16T00:00:00.000Z', commit: 'abc1234', source: 'api' });
  });

  it('answers a malformed marker with a 400 that names the field, and stores nothing of it', async () => {
    const before = await api.store.listDeployments(window);
    const cases: [unknown, RegExp][] = [
      [{ deployedAt: '2026-01-15T10:00:00Z' }, /^id: /],
      [{ id: 'x' }, /deployedAt: deployedAt is required/],
      [{ id: 'x', deployedAt: 'yesterday' }, /^deployedAt: /],
      [{ id: 'x', deployedAt: '2026-01-15 10:00' }, /^deployedAt: /],
      [{ id: 'x', deployedAt: '2026-01-15T10:00:00Z', commit: 'not-a-sha' }, /^commit: a commit is 7 to 64 hex digits/],
      [{ id: 'x', deployedAt: '2026-01-15T10:00:00Z', deployd_at: '2026-01-15T10:00:00Z' }, /deployd_at/],
      [{ id: '   ', deployedAt: '2026-01-15T10:00:00Z' }, /^id: /],
      [{ id: 'x', deployedAt: '2999-01-01T00:00:00Z' }, /is in the future/],
      [{ id: 'x', deployedAt: '2026-01-15T10:00:00Z', deployed_at: '2026-01-15T10:00:00Z' }, /give each field once/],
      [[{ id: 'x', deployedAt: '2026-01-15T10:00:00Z' }], /expected object/],
      ['{"id": "x", "deployedAt": ', /not valid JSON/],
    ];
    for (const [body, message] of cases) {
      const res = await api.call('POST', '/api/deployments', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe('bad_request');
      expect(res.body.message, JSON.stringify(body)).toMatch(message);
    }
    expect(await api.store.listDeployments(window)).toEqual(before);
    // A good marker after the bad ones is recorded as usual.
    expect((await api.call('POST', '/api/deployments', { body: { id: 'x', deployedAt: '2026-01-20T00:00:00Z' } })).status).toBe(201);
  });

  it('needs the API token, as every other route', async () => {
    const res = await api.call('POST', '/api/deployments', { token: null, body: { id: 'y', deployedAt: '2026-01-15T10:00:00Z' } });
    expect(res.status).toBe(401);
    expect(await api.store.listDeployments(window)).not.toContainEqual(expect.objectContaining({ id: 'y' }));
  });

  it('lists the recent markers, oldest first', async () => {
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    await api.call('POST', '/api/deployments', { body: { id: 'recent', deployedAt: recent } });
    const res = await api.call('GET', '/api/deployments?days=2');
    expect(res.status).toBe(200);
    expect(res.body.deployments.map((d: { id: string }) => d.id)).toEqual(['recent']);
    expect((await api.call('GET', '/api/deployments?days=0')).status).toBe(400);
  });
});
