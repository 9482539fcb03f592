import { DOUBLE, DuckDBInstance, LIST, listValue } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryWarehouse, quantileCont, type InteractionRow, type MetricRow } from './memory-warehouse.ts';

const at = (iso: string) => new Date(iso);
const WINDOW = { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-03T00:00:00Z') };

describe('the memory warehouse, reference implementation of the warehouse port', () => {
  it('computes percentiles like quantile_cont: position (n − 1)·q, linear interpolation (hand-computed)', () => {
    // [1, 2, 3, 4]: p50 at 1.5 → 2.5; p95 at 2.85 → 3 + 0.85 = 3.85; p99 at 2.97 → 3.97.
    expect(quantileCont([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileCont([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 12);
    expect(quantileCont([1, 2, 3, 4], 0.99)).toBeCloseTo(3.97, 12);
    // 10, 20, …, 100: p50 at 4.5 → 55; p95 at 8.55 → 90 + 0.55·10 = 95.5; p99 at 8.91 → 99.1.
    const tens = Array.from({ length: 10 }, (_, i) => 10 * (i + 1));
    expect(quantileCont(tens, 0.5)).toBe(55);
    expect(quantileCont(tens, 0.95)).toBeCloseTo(95.5, 12);
    expect(quantileCont(tens, 0.99)).toBeCloseTo(99.1, 12);
    expect(quantileCont([7], 0.95)).toBe(7);
    expect(quantileCont([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantileCont([], 0.5)).toBeNaN();
  });

  describe('against DuckDB itself', () => {
    let instance: DuckDBInstance;
    beforeAll(async () => {
      instance = await DuckDBInstance.create(':memory:');
    });
    afterAll(() => instance.closeSync());

    it('gives what quantile_cont gives on DOUBLE values', async () => {
      const connection = await instance.connect();
      const statement = await connection.prepare('SELECT quantile_cont(x, [0.5, 0.95, 0.99]) AS q FROM unnest($1) AS t(x)');
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 60 }),
          async (values) => {
            statement.bindList(1, listValue(values), LIST(DOUBLE));
            const [row] = (await statement.runAndReadAll()).getRowObjectsJS() as [{ q: number[] }];
            const sorted = [...values].sort((a, b) => a - b);
            // Equal to the last bit or two: DuckDB's C++ may fuse the multiply-add of the interpolation.
            [0.5, 0.95, 0.99].forEach((q, i) => {
              const ours = quantileCont(sorted, q);
              expect(Math.abs(ours - row.q[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(ours), Math.abs(row.q[i]!)) + 1e-300);
            });
          },
        ),
        { numRuns: 200, seed: 42 },
      );
      connection.closeSync();
    });
  });

  it('aggregates endpoint stats over the half-open window [from, to)', async () => {
    const metrics: MetricRow[] = [
      ...[40, 10, 30, 20].map((ms, i) => ({
        endpoint: 'GET /a',
        responseTimeMs: ms,
        errorRate: i === 0 ? 0.5 : 0,
        timestamp: at(`2026-03-01T0${i}:00:00Z`),
      })),
      { endpoint: 'GET /a', responseTimeMs: 1000, errorRate: 1, timestamp: WINDOW.to },
      { endpoint: 'GET /a', responseTimeMs: 1000, errorRate: 1, timestamp: at('2026-02-28T23:59:59.999Z') },
      { endpoint: 'GET /b', responseTimeMs: 5, errorRate: null, timestamp: WINDOW.from },
    ];
    const stats = await createMemoryWarehouse({ metrics }).endpointStats(WINDOW);
    expect(stats).toHaveLength(2);
    expect(stats[0]).toMatchObject({ endpoint: 'GET /a', calls: 4, meanMs: 25, p50Ms: 25, errorRate: 0.125 });
    expect(stats[0]!.p95Ms).toBeCloseTo(38.5, 12);
    expect(stats[0]!.p99Ms).toBeCloseTo(39.7, 12);
    expect(stats[1]).toEqual({ endpoint: 'GET /b', calls: 1, meanMs: 5, p50Ms: 5, p95Ms: 5, p99Ms: 5, errorRate: 0 });
  });

  it('buckets the p95 series by UTC hour or day, for the endpoints asked', async () => {
    const metrics: MetricRow[] = [
      { endpoint: 'GET /a', responseTimeMs: 100, timestamp: at('2026-03-01T10:15:00Z') },
      { endpoint: 'GET /a', responseTimeMs: 200, timestamp: at('2026-03-01T10:45:00Z') },
      { endpoint: 'GET /a', responseTimeMs: 300, timestamp: at('2026-03-02T23:59:00Z') },
      { endpoint: 'GET /b', responseTimeMs: 50, timestamp: at('2026-03-01T10:30:00Z') },
    ];
    const warehouse = createMemoryWarehouse({ metrics });
    expect(await warehouse.endpointSeries(WINDOW, 'day', ['GET /a'])).toEqual([
      { endpoint: 'GET /a', bucketStart: at('2026-03-01T00:00:00Z'), calls: 2, p95Ms: 195 },
      { endpoint: 'GET /a', bucketStart: at('2026-03-02T00:00:00Z'), calls: 1, p95Ms: 300 },
    ]);
    const hourly = await warehouse.endpointSeries(WINDOW, 'hour', []);
    expect(hourly.map((p) => [p.endpoint, p.bucketStart.toISOString(), p.calls])).toEqual([
      ['GET /a', '2026-03-01T10:00:00.000Z', 2],
      ['GET /a', '2026-03-02T23:00:00.000Z', 1],
      ['GET /b', '2026-03-01T10:00:00.000Z', 1],
    ]);
  });

  it('counts identical error messages per endpoint, keeps the latest stack, caps the groups and reports the total', async () => {
    const errors = [
      { message: 'timeout', endpoint: 'GET /a', stack: 'old', timestamp: at('2026-03-01T01:00:00Z') },
      { message: 'timeout', endpoint: 'GET /a', stack: 'new', timestamp: at('2026-03-01T03:00:00Z') },
      { message: 'timeout', endpoint: 'GET /a', stack: 'mid', timestamp: at('2026-03-01T02:00:00Z') },
      { message: 'timeout', endpoint: null, timestamp: at('2026-03-01T02:00:00Z') },
      { message: 'boom', endpoint: 'GET /b', timestamp: at('2026-03-01T04:00:00Z') },
    ];
    const capped = await createMemoryWarehouse({ errors }).errorMessages(WINDOW, 2);
    expect(capped).toMatchObject({ total: 3, cap: 2, capped: true });
    expect(capped.rows).toEqual([
      {
        message: 'timeout',
        endpoint: 'GET /a',
        stack: 'new',
        count: 3,
        firstSeen: at('2026-03-01T01:00:00Z'),
        lastSeen: at('2026-03-01T03:00:00Z'),
      },
      {
        message: 'boom',
        endpoint: 'GET /b',
        stack: null,
        count: 1,
        firstSeen: at('2026-03-01T04:00:00Z'),
        lastSeen: at('2026-03-01T04:00:00Z'),
      },
    ]);
  });

  it('counts interactions by type with outcomes (a missing one as "unknown") and the mean of the sentiments present', async () => {
    const row = (interactionType: string, outcome: string | null, sentiment: number | null, hour: number): InteractionRow => ({
      customerId: `c${hour}`,
      interactionType,
      message: `message ${hour}`,
      outcome,
      sentiment,
      timestamp: at(`2026-03-01T${String(hour).padStart(2, '0')}:00:00Z`),
    });
    const interactions = [
      row('chat', 'resolved', 0.5, 1),
      row('chat', null, null, 2),
      row('chat', 'resolved', -0.1, 3),
      row('email', 'escalated', null, 4),
    ];
    const warehouse = createMemoryWarehouse({ interactions });
    expect(await warehouse.interactionStats(WINDOW)).toEqual([
      { interactionType: 'chat', interactions: 3, meanSentiment: 0.2, outcomes: { resolved: 2, unknown: 1 } },
      { interactionType: 'email', interactions: 1, meanSentiment: null, outcomes: { escalated: 1 } },
    ]);
    const texts = await warehouse.interactionTexts(WINDOW, 2);
    expect(texts).toMatchObject({ total: 4, cap: 2, capped: true });
    expect(texts.rows.map((t) => t.message)).toEqual(['message 4', 'message 3']);
    expect(texts.rows[0]).toEqual({
      customerId: 'c4',
      interactionType: 'email',
      message: 'message 4',
      response: null,
      outcome: 'escalated',
      sentiment: null,
      metadata: {},
      timestamp: at('2026-03-01T04:00:00Z'),
    });
  });

  it('keeps what is written back, in order', async () => {
    const warehouse = createMemoryWarehouse();
    await warehouse.recordExecution({
      proposalId: 'p1',
      status: 'implemented',
      actor: 'a',
      detail: 'd',
      timestamp: at('2026-03-01T00:00:00Z'),
    });
    await warehouse.recordOptimization({
      proposalId: 'p1',
      endpoint: 'GET /a',
      beforeP95Ms: 900,
      afterP95Ms: 300,
      responseTimeReduction: 600,
      timestamp: at('2026-03-02T00:00:00Z'),
    });
    expect(warehouse.executions.map((e) => e.proposalId)).toEqual(['p1']);
    expect(warehouse.optimizations[0]!.responseTimeReduction).toBe(600);
    await expect(warehouse.ping()).resolves.toBeUndefined();
  });
});
