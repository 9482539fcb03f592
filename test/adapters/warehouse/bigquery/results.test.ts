import { afterEach, describe, expect, it } from 'vitest';
import { answerBySql } from '../../../fakes/bigquery/fake-bigquery-server.ts';
import { resultSchemas } from '../../../fakes/bigquery/telemetry-results.ts';
import { createMemoryWarehouse, type InteractionRow } from '../../../helpers/memory-warehouse.ts';
import { randomData } from '../../../analyzers/random-data.ts';
import { closeHarnesses, startHarness, WINDOW } from './harness.ts';

afterEach(closeHarnesses);

describe('the BigQuery warehouse maps typed results', () => {
  it('endpoint stats: INT64 counts and quantiles to numbers, FLOAT64 means, a null error rate to 0, a null aggregate to NaN', async () => {
    const { warehouse } = await startHarness({
      handler: answerBySql([
        [
          'api_metrics',
          {
            schema: resultSchemas.endpointStats,
            rows: [
              ['/api/orders', '120000', 412.25, '380', '2150', '4875', 0.0125],
              { endpoint: '/api/users', calls: 7, mean_ms: 12.5, p50_ms: 10, p95_ms: 30, p99_ms: 31, error_rate: null },
              { endpoint: '/health', calls: 1, mean_ms: null, p50_ms: null, p95_ms: null, p99_ms: null, error_rate: 0 },
            ],
          },
        ],
      ]),
    });
    const stats = await warehouse.endpointStats(WINDOW);
    expect(stats).toEqual([
      { endpoint: '/api/orders', calls: 120000, meanMs: 412.25, p50Ms: 380, p95Ms: 2150, p99Ms: 4875, errorRate: 0.0125 },
      { endpoint: '/api/users', calls: 7, meanMs: 12.5, p50Ms: 10, p95Ms: 30, p99Ms: 31, errorRate: 0 },
      { endpoint: '/health', calls: 1, meanMs: Number.NaN, p50Ms: Number.NaN, p95Ms: Number.NaN, p99Ms: Number.NaN, errorRate: 0 },
    ]);
    expect(typeof stats[0]!.calls).toBe('number');
  });

  it('the endpoint series: TIMESTAMP buckets (int64 microseconds on the wire) to Dates', async () => {
    const { fake, warehouse } = await startHarness({
      handler: answerBySql([
        [
          'api_metrics',
          {
            schema: resultSchemas.endpointSeries,
            rows: [
              ['/api/orders', new Date('2026-03-01T00:00:00Z'), 10, 900],
              ['/api/orders', '2026-03-01T01:00:00.000000Z', '12', '1800'],
            ],
          },
        ],
      ]),
    });
    const series = await warehouse.endpointSeries(WINDOW, 'hour', ['/api/orders']);
    expect(series).toEqual([
      { endpoint: '/api/orders', bucketStart: new Date('2026-03-01T00:00:00Z'), calls: 10, p95Ms: 900 },
      { endpoint: '/api/orders', bucketStart: new Date('2026-03-01T01:00:00Z'), calls: 12, p95Ms: 1800 },
    ]);
    // The client asked for int64 timestamps, and that is what crossed the wire.
    expect(fake.requests.find((r) => r.method === 'GET')!.search['formatOptions.useInt64Timestamp']).toBe('true');
  });

  it('error messages: counts, null stacks and endpoints, microsecond timestamps, and the total before the cap', async () => {
    const { warehouse } = await startHarness({
      handler: answerBySql([
        [
          'error_logs',
          {
            schema: resultSchemas.errorMessages,
            rows: [
              [
                '57',
                "TypeError: Cannot read properties of null (reading 'id')",
                '/api/orders',
                'at handler (src/orders.ts:12:5)',
                '31',
                '2026-03-01T08:00:00.123456Z',
                '2026-03-07T23:59:59.999999Z',
              ],
              ['57', 'ECONNRESET', null, null, '9', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z'],
            ],
          },
        ],
      ]),
    });
    const errors = await warehouse.errorMessages(WINDOW, 2);
    expect(errors).toEqual({
      rows: [
        {
          message: "TypeError: Cannot read properties of null (reading 'id')",
          stack: 'at handler (src/orders.ts:12:5)',
          endpoint: '/api/orders',
          count: 31,
          firstSeen: new Date('2026-03-01T08:00:00.123Z'),
          lastSeen: new Date('2026-03-07T23:59:59.999Z'),
        },
        {
          message: 'ECONNRESET',
          stack: null,
          endpoint: null,
          count: 9,
          firstSeen: new Date('2026-03-02T00:00:00Z'),
          lastSeen: new Date('2026-03-03T00:00:00Z'),
        },
      ],
      total: 57,
      cap: 2,
      capped: true,
    });
  });

  it('a capped read that matched nothing, and one capped at zero, from the lone count row', async () => {
    const countOnly = (total: number) => ({ schema: resultSchemas.errorMessages, rows: [[total, null, null, null, null, null, null]] });
    const { fake, warehouse } = await startHarness({ handler: answerBySql([['error_logs', countOnly(0)]]) });
    expect(await warehouse.errorMessages(WINDOW, 100)).toEqual({ rows: [], total: 0, cap: 100, capped: false });
    fake.setHandler(answerBySql([['error_logs', countOnly(42)]]));
    expect(await warehouse.errorMessages(WINDOW, 0)).toEqual({ rows: [], total: 42, cap: 0, capped: true });
  });

  it('interaction texts: JSON metadata parsed, null sentiment, response and outcome kept null, a null type as "unknown"', async () => {
    const at = '2026-03-05T10:15:30.250000Z';
    const row = (metadata: unknown, overrides: Record<string, unknown> = {}) => ({
      total_rows: 4,
      customer_id: 'c-1',
      interaction_type: 'chat',
      message: 'Can you export to CSV?',
      response: 'Not yet.',
      outcome: 'unresolved',
      sentiment_score: -0.4,
      metadata,
      timestamp: at,
      ...overrides,
    });
    const { warehouse } = await startHarness({
      handler: answerBySql([
        [
          'customer_interactions',
          {
            schema: resultSchemas.interactionTexts('JSON'),
            rows: [
              row({ plan: 'pro', seats: 12, tags: ['export'] }),
              row('{"plan":"free"}', { sentiment_score: null, response: null, outcome: null, interaction_type: null }),
              row(null),
              row('not json {'),
            ],
          },
        ],
      ]),
    });
    const texts = await warehouse.interactionTexts(WINDOW, 10);
    expect(texts.total).toBe(4);
    expect(texts.capped).toBe(false);
    expect(texts.rows.map((t) => t.metadata)).toEqual([{ plan: 'pro', seats: 12, tags: ['export'] }, { plan: 'free' }, {}, {}]);
    expect(texts.rows[0]).toEqual({
      customerId: 'c-1',
      interactionType: 'chat',
      message: 'Can you export to CSV?',
      response: 'Not yet.',
      outcome: 'unresolved',
      sentiment: -0.4,
      metadata: { plan: 'pro', seats: 12, tags: ['export'] },
      timestamp: new Date('2026-03-05T10:15:30.250Z'),
    });
    expect(texts.rows[1]).toMatchObject({ sentiment: null, response: null, outcome: null, interactionType: 'unknown' });
  });

  it('interaction texts whose metadata column is a STRING of JSON', async () => {
    const { warehouse } = await startHarness({
      handler: answerBySql([
        [
          'customer_interactions',
          {
            schema: resultSchemas.interactionTexts('STRING'),
            rows: [[1, 'c-9', 'email', 'hi', null, 'resolved', 0.9, '{"channel":"email","locale":"de"}', new Date('2026-03-02T00:00:00Z')]],
          },
        ],
      ]),
    });
    const texts = await warehouse.interactionTexts(WINDOW, 1);
    expect(texts.rows[0]!.metadata).toEqual({ channel: 'email', locale: 'de' });
    expect(texts).toMatchObject({ total: 1, cap: 1, capped: false });
  });

  it('every page of a result that spans several, in order', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => [
      10,
      `c-${i}`,
      'chat',
      `message ${i}`,
      null,
      null,
      null,
      null,
      new Date(Date.UTC(2026, 2, 7, 23, 59 - i)),
    ]);
    const { fake, warehouse } = await startHarness({
      pageSize: 3,
      handler: answerBySql([['customer_interactions', { schema: resultSchemas.interactionTexts(), rows }]]),
    });
    const texts = await warehouse.interactionTexts(WINDOW, 10);
    expect(texts.rows.map((t) => t.customerId)).toEqual(rows.map((r) => r[1]));
    const pageReads = fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/queries/'));
    expect(pageReads).toHaveLength(4);
    expect(pageReads.map((r) => r.search.pageToken !== undefined)).toEqual([false, true, true, true]);
  });

  it('a job that is still running: polls until it completes', async () => {
    const { fake, warehouse } = await startHarness({
      handler: answerBySql([['api_metrics', { schema: resultSchemas.endpointStats, rows: [['/a', 1, 1, 1, 1, 1, 0]], pendingPolls: 3 }]]),
    });
    expect(await warehouse.endpointStats(WINDOW)).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(4);
  });

  it('interaction stats folded from (type, outcome) rows exactly as the reference warehouse computes them', async () => {
    const data = randomData(7);
    const interactions: InteractionRow[] = Array.from({ length: 600 }, () => ({
      customerId: data.uuid(),
      interactionType: data.pick(['chat', 'email', 'voice', 'sms']),
      message: 'm',
      outcome: data.pick(['resolved', 'escalated', 'abandoned', null]),
      sentiment: data.random() < 0.2 ? null : Math.round((data.random() * 2 - 1) * 1000) / 1000,
      timestamp: new Date(WINDOW.from.getTime() + data.int(0, 6 * 86_400_000)),
    }));
    // What BigQuery's GROUP BY returns for these rows.
    const groups = new Map<string, { type: string; outcome: string; n: number; sum: number | null; count: number }>();
    for (const r of interactions) {
      const outcome = r.outcome ?? 'unknown';
      const key = `${r.interactionType}|${outcome}`;
      const g = groups.get(key) ?? { type: r.interactionType, outcome, n: 0, sum: null, count: 0 };
      g.n += 1;
      if (r.sentiment !== null && r.sentiment !== undefined) {
        g.sum = (g.sum ?? 0) + r.sentiment;
        g.count += 1;
      }
      groups.set(key, g);
    }
    const { warehouse } = await startHarness({
      handler: answerBySql([
        [
          'customer_interactions',
          {
            schema: resultSchemas.interactionStats,
            rows: [...groups.values()].map((g) => [g.type, g.outcome, String(g.n), g.sum, String(g.count)]),
          },
        ],
      ]),
    });
    const expected = await createMemoryWarehouse({ interactions }).interactionStats(WINDOW);
    const actual = await warehouse.interactionStats(WINDOW);
    expect(actual.map((s) => [s.interactionType, s.interactions, s.outcomes])).toEqual(
      expected.map((s) => [s.interactionType, s.interactions, s.outcomes]),
    );
    actual.forEach((s, i) => expect(s.meanSentiment).toBeCloseTo(expected[i]!.meanSentiment!, 12));
  });

  it('interaction stats with no sentiment at all as a null mean', async () => {
    const { warehouse } = await startHarness({
      handler: answerBySql([
        ['customer_interactions', { schema: resultSchemas.interactionStats, rows: [['voice', 'unknown', 3, null, 0]] }],
      ]),
    });
    expect(await warehouse.interactionStats(WINDOW)).toEqual([
      { interactionType: 'voice', interactions: 3, meanSentiment: null, outcomes: { unknown: 3 } },
    ]);
  });
});
