import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedQuery } from '../../../fakes/bigquery/fake-bigquery-server.ts';
import { answerBySql } from '../../../fakes/bigquery/fake-bigquery-server.ts';
import { resultSchemas } from '../../../fakes/bigquery/telemetry-results.ts';
import { closeHarnesses, PROJECT, startHarness, WINDOW } from './harness.ts';

afterEach(closeHarnesses);

/** Answers every telemetry query with an empty result of the right shape. */
const emptyResults = answerBySql([
  [
    'customer_interactions',
    (q) => ({ schema: /outcome_name/.test(q.sql) ? resultSchemas.interactionStats : resultSchemas.interactionTexts(), rows: [] }),
  ],
  ['error_logs', { schema: resultSchemas.errorMessages, rows: [] }],
  ['TIMESTAMP_TRUNC', { schema: resultSchemas.endpointSeries, rows: [] }],
  ['api_metrics', { schema: resultSchemas.endpointStats, rows: [] }],
]);

const PLANTED = "x'); DROP TABLE y; --";

/** The SQL may hold only these values' names, never a value itself. */
function expectNoLiteralValues(query: RecordedQuery) {
  expect(query.sql).not.toContain(PLANTED);
  expect(query.sql).not.toMatch(/'20\d\d-/); // no date literal
  expect(query.sql).not.toMatch(/LIMIT\s+\d+(?!\))/); // the cap is @cap (ARRAY_AGG's fixed LIMIT 1 aside)
  expect(query.useLegacySql).toBe(false);
  expect(query.parameterMode).toBe('named');
}

function expectWindow(query: RecordedQuery) {
  expect(query.sql).toContain('WHERE timestamp >= @from AND timestamp < @to');
  expect(query.parameters.filter((p) => p.name === 'from' || p.name === 'to')).toEqual([
    { name: 'from', type: 'TIMESTAMP', value: '2026-03-01T00:00:00.000Z' },
    { name: 'to', type: 'TIMESTAMP', value: '2026-03-08T00:00:00.000Z' },
  ]);
}

describe('the BigQuery warehouse sends', () => {
  it('endpoint stats as one query over the window with approximate p50/p95/p99 and only the columns it needs', async () => {
    const { fake, warehouse } = await startHarness({ handler: emptyResults });
    await warehouse.endpointStats(WINDOW);
    expect(fake.queries).toHaveLength(1);
    const [query] = fake.queries as [RecordedQuery];
    expect(query.via).toBe('jobs.insert');
    expect(query.sql).toContain(`FROM \`${PROJECT}.performance.api_metrics\``);
    expect(query.sql).toContain('APPROX_QUANTILES(response_time_ms, 100)');
    for (const q of [50, 95, 99]) expect(query.sql).toContain(`OFFSET(${q})`);
    expect(query.sql).toMatch(/GROUP BY endpoint/);
    expect(query.sql).toContain('AND response_time_ms IS NOT NULL');
    expect(query.sql).not.toMatch(/SELECT \*\s+FROM `/);
    expect(columnsRead(query.sql)).toEqual(['endpoint', 'error_rate', 'response_time_ms', 'timestamp']);
    expectWindow(query);
    expectNoLiteralValues(query);
    expect(query.parameters).toHaveLength(2);
  });

  it('the endpoint series with the endpoint filter as an ARRAY<STRING> parameter, a planted injection travelling only as a value', async () => {
    const { fake, warehouse } = await startHarness({ handler: emptyResults });
    await warehouse.endpointSeries(WINDOW, 'hour', ['/api/orders', PLANTED]);
    await warehouse.endpointSeries(WINDOW, 'day', []);
    const [hourly, daily] = fake.queries as [RecordedQuery, RecordedQuery];
    expect(hourly.sql).toContain('TIMESTAMP_TRUNC(timestamp, HOUR');
    expect(daily.sql).toContain('TIMESTAMP_TRUNC(timestamp, DAY');
    expect(hourly.sql).toContain('APPROX_QUANTILES(response_time_ms, 100)[SAFE_OFFSET(95)]');
    expect(hourly.sql).toContain('endpoint IN UNNEST(@endpoints)');
    expect(hourly.parameters.find((p) => p.name === 'endpoints')).toEqual({
      name: 'endpoints',
      type: 'ARRAY<STRING>',
      value: ['/api/orders', PLANTED],
    });
    expect(daily.parameters.find((p) => p.name === 'endpoints')).toEqual({ name: 'endpoints', type: 'ARRAY<STRING>', value: [] });
    expect(columnsRead(hourly.sql)).toEqual(['endpoint', 'response_time_ms', 'timestamp']);
    for (const query of [hourly, daily]) {
      expectWindow(query);
      expectNoLiteralValues(query);
    }
  });

  it('error messages grouped by message and endpoint in SQL, capped by an INT64 @cap with the count before the cap', async () => {
    const { fake, warehouse } = await startHarness({ handler: emptyResults });
    await warehouse.errorMessages(WINDOW, 250);
    const [query] = fake.queries as [RecordedQuery];
    expect(query.sql).toContain(`FROM \`${PROJECT}.logs.error_logs\``);
    expect(query.sql).toContain('GROUP BY error_message, endpoint');
    expect(query.sql).toContain('AND error_message IS NOT NULL');
    expect(query.sql).toContain('COUNT(*) AS total_rows');
    expect(query.sql).toContain('LIMIT @cap');
    expect(query.parameters.find((p) => p.name === 'cap')).toEqual({ name: 'cap', type: 'INT64', value: '250' });
    expect(columnsRead(query.sql)).toEqual(['endpoint', 'error_message', 'error_stack', 'timestamp']);
    expectWindow(query);
    expectNoLiteralValues(query);
  });

  it('interaction stats grouped by type and outcome in SQL, reading no message text', async () => {
    const { fake, warehouse } = await startHarness({ handler: emptyResults });
    await warehouse.interactionStats(WINDOW);
    const [query] = fake.queries as [RecordedQuery];
    expect(query.sql).toContain(`FROM \`${PROJECT}.ai_learning.customer_interactions\``);
    expect(query.sql).toContain('GROUP BY type_name, outcome_name');
    expect(columnsRead(query.sql)).toEqual(['interaction_type', 'outcome', 'sentiment_score', 'timestamp']);
    expectWindow(query);
    expectNoLiteralValues(query);
  });

  it('interaction texts newest first, capped by @cap, naming each column rather than SELECT * on the table', async () => {
    const { fake, warehouse } = await startHarness({ handler: emptyResults });
    await warehouse.interactionTexts(WINDOW, 1000);
    const [query] = fake.queries as [RecordedQuery];
    expect(query.sql).toContain('ORDER BY timestamp DESC, customer_id, message');
    expect(query.sql).toContain('AND message IS NOT NULL');
    expect(query.sql).toContain('LIMIT @cap');
    expect(query.sql).not.toMatch(/SELECT \*\s+FROM `/);
    expect(query.parameters.find((p) => p.name === 'cap')).toEqual({ name: 'cap', type: 'INT64', value: '1000' });
    expect(columnsRead(query.sql)).toEqual([
      'customer_id',
      'interaction_type',
      'message',
      'metadata',
      'outcome',
      'response',
      'sentiment_score',
      'timestamp',
    ]);
    expectWindow(query);
    expectNoLiteralValues(query);
  });

  it('maximumBytesBilled, the job timeout, the location and cost labels on every job when configured', async () => {
    const { fake, warehouse } = await startHarness(
      { handler: emptyResults },
      { maximumBytesBilled: '5000000000', jobTimeoutMs: 30_000, location: 'EU' },
    );
    await warehouse.endpointStats(WINDOW);
    await warehouse.errorMessages(WINDOW, 10);
    await warehouse.ping();
    expect(fake.queries.map((q) => [q.maximumBytesBilled, q.jobTimeoutMs, q.location])).toEqual([
      ['5000000000', '30000', 'EU'],
      ['5000000000', '30000', 'EU'],
      ['5000000000', '30000', 'EU'],
    ]);
    expect(fake.queries.map((q) => q.labels?.operation)).toEqual(['endpoint_stats', 'error_messages', 'ping']);
    // Results are read in the job's location too.
    expect(fake.requests.filter((r) => r.method === 'GET').every((r) => r.search.location === 'EU')).toBe(true);
  });

  it('no maximumBytesBilled when none is configured, and a two-minute job timeout by default', async () => {
    const { fake, warehouse } = await startHarness({ handler: emptyResults });
    await warehouse.endpointStats(WINDOW);
    expect(fake.queries[0]!.maximumBytesBilled).toBeUndefined();
    expect(fake.queries[0]!.jobTimeoutMs).toBe('120000');
  });

  it('queries to the configured datasets', async () => {
    const { fake, warehouse } = await startHarness(
      { handler: emptyResults },
      { datasets: { interactions: 'learning_eu', metrics: 'perf_eu', logs: 'logs_eu' } },
    );
    await warehouse.interactionStats(WINDOW);
    await warehouse.endpointStats(WINDOW);
    await warehouse.errorMessages(WINDOW, 5);
    expect(fake.queries.map((q) => /FROM (`[^`]+`)/.exec(q.sql)?.[1])).toEqual([
      `\`${PROJECT}.learning_eu.customer_interactions\``,
      `\`${PROJECT}.perf_eu.api_metrics\``,
      `\`${PROJECT}.logs_eu.error_logs\``,
    ]);
  });

  it('a ping as SELECT 1, signed with the service account key', async () => {
    const { fake, warehouse } = await startHarness();
    await warehouse.ping();
    expect(fake.queries.map((q) => q.sql)).toEqual(['SELECT 1']);
    expect(fake.queries[0]!.authorization).toMatch(/^Bearer ey/);
  });

  it('a start-banner line naming the project, location, tables and byte limit, and nothing secret', async () => {
    const { warehouse } = await startHarness({}, { location: 'EU', maximumBytesBilled: '5000000000' });
    expect(warehouse.kind).toBe('bigquery');
    expect(warehouse.describe()).toBe(
      `bigquery (project ${PROJECT}, location EU; \`${PROJECT}.ai_learning.customer_interactions\`, \`${PROJECT}.performance.api_metrics\`, \`${PROJECT}.logs.error_logs\`, at most 5,000,000,000 bytes billed per query)`,
    );
  });

  it('refuses a negative or fractional cap before sending anything', async () => {
    const { fake, warehouse } = await startHarness({ handler: emptyResults });
    await expect(warehouse.errorMessages(WINDOW, -1)).rejects.toThrow(/cap must be a whole number/);
    await expect(warehouse.interactionTexts(WINDOW, 2.5)).rejects.toThrow(/cap must be a whole number/);
    await expect(warehouse.endpointStats({ from: new Date('nonsense'), to: WINDOW.to })).rejects.toThrow(/@from must be a valid date/);
    expect(fake.queries).toHaveLength(0);
  });
});

/**
 * The seed's columns a query reads from its table: those named in the one SELECT block whose FROM is
 * the table (aliases defined with AS are not columns).
 */
function columnsRead(sql: string): string[] {
  const seedColumns = [
    'customer_id',
    'interaction_type',
    'message',
    'response',
    'metadata',
    'sentiment_score',
    'outcome',
    'timestamp',
    'endpoint',
    'response_time_ms',
    'error_rate',
    'error_message',
    'error_stack',
  ];
  const from = sql.indexOf('FROM `');
  const start = sql.lastIndexOf('SELECT', from);
  let end = from;
  for (let depth = 0; end < sql.length; end++) {
    if (sql[end] === '(') depth++;
    if (sql[end] === ')' && --depth < 0) break;
  }
  const block = sql.slice(start, end).replace(/\bAS\s+\w+/g, '');
  return seedColumns.filter((c) => new RegExp(`(?<![\\w.])${c}(?!\\w)`).test(block)).sort();
}
