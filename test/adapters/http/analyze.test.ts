import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/domain/finding.ts';
import type { Analyzer, CycleType } from '../../../src/ports/analyzer.ts';
import { startApi, type ApiHarness } from './api-harness.ts';

/** Test data: an analyzer that always reports the same findings, as a real one would for fixed telemetry. */
function fixedAnalyzer(name: string, cycles: CycleType[], findings: Omit<Finding, 'analyzer'>[]): Analyzer & { runs: number } {
  return {
    name,
    cycles,
    runs: 0,
    async analyze() {
      this.runs += 1;
      return findings.map((f) => ({ ...f, analyzer: name }));
    },
  };
}

const slowEndpoint: Omit<Finding, 'analyzer'> = {
  type: 'performance',
  fingerprint: 'performance:GET /api/orders/:id',
  title: 'GET /api/orders/:id is slow',
  summary: 'p95 latency is 2840 ms against a 2000 ms threshold.',
  evidence: [{ label: 'p95 latency', value: 2840, unit: 'ms' }],
  priority: 'high',
  magnitude: 2840,
};

const errorGroup: Omit<Finding, 'analyzer'> = {
  type: 'bug_fix',
  fingerprint: 'bug:TypeError:orders.ts:42',
  title: 'TypeError in orders.ts:42',
  summary: 'Cannot read properties of undefined (reading "total"), 37 times.',
  evidence: [{ label: 'occurrences', value: 37 }],
  priority: 'medium',
  magnitude: 37,
};

describe('running an analysis over the API', () => {
  let api: ApiHarness;
  const performance = fixedAnalyzer('performance', ['daily', 'weekly'], [slowEndpoint]);
  const errors = fixedAnalyzer('errors', ['weekly'], [errorGroup]);

  beforeAll(async () => {
    api = await startApi({ analyzers: [performance, errors] });
  });
  afterAll(async () => {
    await api.close();
  });

  it('runs the cycle type asked for and returns its report, filing the findings as proposals', async () => {
    const res = await api.call('POST', '/api/improvements/analyze', { body: { type: 'daily' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'daily', dryRun: false, findings: 1, errors: [] });
    expect(res.body.analyzers.map((a: { name: string }) => a.name)).toEqual(['performance']);
    expect(res.body.created).toHaveLength(1);
    const stored = await api.store.get(res.body.created[0].id);
    expect(stored).toMatchObject({ status: 'pending', fingerprint: slowEndpoint.fingerprint });
  });

  it('runs one analyzer alone when {type} names it', async () => {
    const before = performance.runs;
    const res = await api.call('POST', '/api/improvements/analyze', { body: { type: 'errors' } });
    expect(res.status).toBe(200);
    expect(res.body.analyzers.map((a: { name: string }) => a.name)).toEqual(['errors']);
    expect(performance.runs).toBe(before);
    expect(res.body.created.map((c: { fingerprint: string }) => c.fingerprint)).toEqual([errorGroup.fingerprint]);
  });

  it('runs a full cycle when no type is given, updating what is already filed instead of filing it again', async () => {
    const res = await api.call('POST', '/api/improvements/analyze');
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('full');
    expect(res.body.created).toEqual([]);
    expect(res.body.updated).toHaveLength(2);
    const list = await api.call('GET', '/api/improvements/proposals');
    expect(list.body.total).toBe(2);
  });

  it('answers 400 for an unknown cycle type or analyzer name, and a wrong type', async () => {
    for (const body of [{ type: 'hourly' }, { type: 42 }, { type: '' }]) {
      const res = await api.call('POST', '/api/improvements/analyze', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe('bad_request');
    }
  });

  it('needs a token like every other API route', async () => {
    const res = await api.call('POST', '/api/improvements/analyze', { token: null, body: { type: 'daily' } });
    expect(res.status).toBe(401);
  });
});

describe('an analysis that fails, or is asked for asynchronously', () => {
  let api: ApiHarness;
  const broken: Analyzer = {
    name: 'broken',
    cycles: ['daily'],
    async analyze() {
      throw new Error('the warehouse did not answer');
    },
  };
  const performance = fixedAnalyzer('performance', ['weekly'], [slowEndpoint]);

  beforeAll(async () => {
    api = await startApi({ analyzers: [broken, performance] });
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers 503 with the errors, not 200, when every analyzer of the cycle failed', async () => {
    const res = await api.call('POST', '/api/improvements/analyze', { body: { type: 'daily' } });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'cycle_failed', report: { created: [], errors: ['broken: the warehouse did not answer'] } });
    expect(res.body.message).toContain('the warehouse did not answer');
  });

  it('answers 202 at once with Prefer: respond-async, and the run shows its outcome at its Location', async () => {
    const started = await api.call('POST', '/api/improvements/analyze', { body: { type: 'weekly' }, headers: { prefer: 'respond-async' } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running' });
    const location = started.headers.get('location');
    expect(location).toBe(`/api/improvements/cycles/${started.body.id}`);
    let run = started.body;
    for (let i = 0; i < 100 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = (await api.call('GET', location!)).body;
    }
    expect(run).toMatchObject({ status: 'succeeded', report: { type: 'weekly', findings: 1 } });
    expect(run.report.created).toHaveLength(1);

    const failing = await api.call('POST', '/api/improvements/analyze', { body: { type: 'daily' }, headers: { prefer: 'respond-async' } });
    let failed = failing.body;
    for (let i = 0; i < 100 && failed.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      failed = (await api.call('GET', `/api/improvements/cycles/${failing.body.id}`)).body;
    }
    expect(failed).toMatchObject({ status: 'failed', errors: ['broken: the warehouse did not answer'] });
  });

  it('answers 404 for a cycle run it does not know', async () => {
    const res = await api.call('GET', '/api/improvements/cycles/run-0000000000000000');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });
});
