import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailable } from '../../../src/domain/errors.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { startApi, type ApiHarness } from './api-harness.ts';

describe('health probes and routing', () => {
  let api: ApiHarness | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('answers /healthz without a token and without asking the store', async () => {
    api = await startApi();
    let pings = 0;
    const ping = api.store.ping.bind(api.store);
    api.store.ping = async () => {
      pings += 1;
      return ping();
    };
    const res = await api.call('GET', '/healthz', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'alive' });
    expect(pings).toBe(0);
  });

  it('answers /readyz 200 when every readiness check is ok', async () => {
    api = await startApi({ readiness: async () => ({ store: 'ok', warehouse: 'ok' }) });
    const res = await api.call('GET', '/readyz', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { store: 'ok', warehouse: 'ok' } });
  });

  it('answers /readyz 503 naming only the failing checks', async () => {
    api = await startApi({ readiness: async () => ({ store: 'ok', warehouse: 'connection refused' }) });
    const res = await api.call('GET', '/readyz', { token: null });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not_ready', failing: { warehouse: 'connection refused' } });
  });

  it('answers /readyz 503 when the readiness check itself throws', async () => {
    api = await startApi({
      readiness: async () => {
        throw new Error('boom at 10.0.0.7:6379');
      },
    });
    const res = await api.call('GET', '/readyz', { token: null });
    expect(res.status).toBe(503);
    expect(JSON.stringify(res.body)).not.toContain('10.0.0.7');
  });

  it('answers the seed health route without a token: status, store, uptime, version, counts by status', async () => {
    api = await startApi();
    const p = await api.store.create(makeDraft(), { actor: 'test' });
    await api.store.create(makeDraft(), { actor: 'test' });
    await api.store.transition({ id: p.id, to: 'rejected', actor: 'test', reason: 'no', idempotencyKey: 'k' });
    const res = await api.call('GET', '/api/improvements/health', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'healthy',
      version: '0.1.0',
      store: { kind: 'embedded', status: 'ok' },
      proposals: { pending: 1, rejected: 1, approved: 0 },
    });
    expect(res.body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('shows each scheduled job on the health route (next run, last success, last outcome and counts) but keeps error texts behind the token', async () => {
    const failed = {
      job: 'daily-analysis',
      slot: '2026-11-24T02:00:00.000Z',
      startedAt: '2026-11-24T02:00:00.010Z',
      finishedAt: '2026-11-24T02:00:03.000Z',
      outcome: 'failed' as const,
      error: 'connect ECONNREFUSED 10.0.0.7:443',
      fence: 4,
    };
    const ran = {
      ...failed,
      slot: '2026-11-23T02:00:00.000Z',
      outcome: 'ran' as const,
      counts: { findings: 12, created: 3 },
      error: undefined,
    };
    api = await startApi({
      jobs: async () => [
        {
          job: 'daily-analysis',
          cron: '0 2 * * *',
          timezone: 'UTC',
          nextRun: '2026-11-25T02:00:00.000Z',
          lastSuccess: ran.finishedAt,
          recent: [failed, ran],
        },
      ],
    });
    const health = await api.call('GET', '/api/improvements/health', { token: null });
    expect(health.body.scheduler).toEqual({
      enabled: true,
      jobs: [
        {
          job: 'daily-analysis',
          cron: '0 2 * * *',
          timezone: 'UTC',
          nextRun: '2026-11-25T02:00:00.000Z',
          lastSuccess: ran.finishedAt,
          lastRun: { slot: failed.slot, startedAt: failed.startedAt, finishedAt: failed.finishedAt, outcome: 'failed' },
        },
      ],
    });
    expect(JSON.stringify(health.body)).not.toContain('10.0.0.7');
    expect((await api.call('GET', '/api/improvements/jobs', { token: null })).status).toBe(401);
    const jobs = await api.call('GET', '/api/improvements/jobs');
    expect(jobs.body.jobs[0].recent.map((r: { outcome: string; error?: string }) => [r.outcome, r.error])).toEqual([
      ['failed', failed.error],
      ['ran', undefined],
    ]);
  });

  it('shows the shared job records on a replica whose own scheduler is off, saying it is off', async () => {
    const ran = {
      job: 'daily-analysis',
      slot: '2026-11-24T02:00:00.000Z',
      startedAt: '2026-11-24T02:00:00.010Z',
      finishedAt: '2026-11-24T02:00:03.000Z',
      outcome: 'ran' as const,
      fence: 4,
    };
    api = await startApi({
      schedulerEnabled: false,
      jobs: async () => [
        { job: 'daily-analysis', cron: '0 2 * * *', timezone: 'UTC', nextRun: null, lastSuccess: ran.finishedAt, recent: [ran] },
      ],
    });
    const health = await api.call('GET', '/api/improvements/health', { token: null });
    expect(health.body.scheduler).toMatchObject({
      enabled: false,
      jobs: [{ job: 'daily-analysis', nextRun: null, lastRun: { outcome: 'ran' } }],
    });
    expect((await api.call('GET', '/api/improvements/jobs')).body.enabled).toBe(false);
  });

  it('says the scheduler is off on the health route when it is', async () => {
    api = await startApi();
    expect((await api.call('GET', '/api/improvements/health', { token: null })).body.scheduler).toEqual({ enabled: false });
  });

  it('answers the health route 503 when the store does not answer, without its error text', async () => {
    api = await startApi();
    api.store.ping = async () => {
      throw new Error('ECONNREFUSED 10.0.0.7:6379');
    };
    const res = await api.call('GET', '/api/improvements/health', { token: null });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'unhealthy', store: { status: 'unavailable' } });
    expect(JSON.stringify(res.body)).not.toContain('10.0.0.7');
  });

  it('answers 503 store_unavailable with Retry-After when the store does not answer, without its error text', async () => {
    api = await startApi();
    api.store.list = api.store.listRows = async () => {
      throw new StoreUnavailable('redis at 10.0.0.7:6379 timed out');
    };
    const res = await api.call('GET', '/api/improvements/proposals');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'store_unavailable', message: expect.any(String) });
    expect(res.headers.get('retry-after')).toBe('5');
    expect(JSON.stringify(res.body)).not.toContain('10.0.0.7');
  });

  it('answers 500 internal_error with a generic text when a handler hits a bug', async () => {
    api = await startApi();
    api.store.list = api.store.listRows = async () => {
      throw new TypeError('secret internals at /srv/app/src/thing.ts:12');
    };
    const res = await api.call('GET', '/api/improvements/proposals');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal_error', message: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toMatch(/secret|thing\.ts|TypeError/);
  });

  it('answers unknown routes with 404 JSON, sends no X-Powered-By, and echoes a sane X-Request-Id', async () => {
    api = await startApi();
    const unknown = await api.call('GET', '/nope', { token: null, headers: { 'x-request-id': 'trace-abc.123' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'not_found', message: expect.any(String) });
    expect(unknown.headers.get('x-powered-by')).toBeNull();
    expect(unknown.headers.get('x-request-id')).toBe('trace-abc.123');

    const apiUnknown = await api.call('GET', '/api/improvements/nope');
    expect(apiUnknown.status).toBe(404);
    expect(apiUnknown.body.error).toBe('not_found');

    const insane = await api.call('GET', '/healthz', { token: null, headers: { 'x-request-id': 'a b<script>' } });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
