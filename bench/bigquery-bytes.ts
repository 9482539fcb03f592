/**
 * What a full cycle's BigQuery queries would bill, per query, for a platform of a given size, beside
 * the default BIGQUERY_MAX_BYTES_BILLED (which every job runs under). On-demand billing counts the
 * logical bytes of each column a query reads over the partitions it scans (STRING: 2 + UTF-8 bytes,
 * TIMESTAMP/FLOAT64/INT64: 8, JSON: its text), whatever the query does with them. The columns each
 * query reads are taken from the adapter's own SQL text (telemetry-queries.ts, error-group-query.ts),
 * the average column sizes from the bundled sample measured with DuckDB, and the row counts scaled
 * to the platform (default: 100M metric rows, 10M error lines, 10M interactions in 30 days). An
 * estimate: the local BigQuery fake cannot scan, so it cannot report real bytes.
 * Run: node --import tsx bench/bigquery-bytes.ts [--metrics 100000000] [--errors 10000000] [--interactions 10000000]
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { errorGroupsSql } from '../src/adapters/warehouse/bigquery/error-group-query.ts';
import { resolveTables } from '../src/adapters/warehouse/bigquery/identifiers.ts';
import {
  candidatesSql,
  facetsSql,
  profileRowsSql,
  sampleSql,
  topicCustomersSql,
} from '../src/adapters/warehouse/bigquery/interaction-group-queries.ts';
import {
  endpointSeriesSql,
  endpointStatsSql,
  interactionStatsSql,
  distinctMessagesSql,
  rowsWithMessagesSql,
} from '../src/adapters/warehouse/bigquery/telemetry-queries.ts';
import { VARIABLES } from '../src/config-variables.ts';
import { defaultSample } from './cycle-floor.ts';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

const platform = {
  api_metrics: argument('--metrics', 100_000_000),
  error_logs: argument('--errors', 10_000_000),
  customer_interactions: argument('--interactions', 10_000_000),
};
const COLUMNS: Record<keyof typeof platform, Record<string, 'STRING' | 'FIXED' | 'JSON'>> = {
  api_metrics: { timestamp: 'FIXED', endpoint: 'STRING', response_time_ms: 'FIXED', error_rate: 'FIXED', status_code: 'FIXED' },
  error_logs: { timestamp: 'FIXED', endpoint: 'STRING', error_message: 'STRING', error_stack: 'STRING' },
  customer_interactions: {
    timestamp: 'FIXED',
    customer_id: 'STRING',
    interaction_type: 'STRING',
    message: 'STRING',
    response: 'STRING',
    outcome: 'STRING',
    sentiment_score: 'FIXED',
    metadata: 'JSON',
  },
};

const { dir } = await defaultSample();
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const bytesPerRow = new Map<string, number>();
for (const [table, columns] of Object.entries(COLUMNS)) {
  const file = path.join(dir, `${table}.parquet`).replaceAll("'", "''");
  for (const [column, kind] of Object.entries(columns)) {
    if (kind === 'FIXED') {
      bytesPerRow.set(`${table}.${column}`, 8);
      continue;
    }
    const reader = await connection.runAndReadAll(`SELECT avg(strlen(CAST("${column}" AS VARCHAR))) AS b FROM read_parquet('${file}')`);
    const average = Number((reader.getRowObjectsJS()[0] as { b: number | null }).b ?? 0);
    bytesPerRow.set(`${table}.${column}`, average + (kind === 'STRING' ? 2 : 0));
  }
}
connection.closeSync();
instance.closeSync();

const tables = resolveTables('bench-project');
const DAY = 1 / 30;
const queries: { name: string; table: keyof typeof platform; sql: string; days: number }[] = [
  { name: 'endpoint stats, 30 days', table: 'api_metrics', sql: endpointStatsSql(tables), days: 30 },
  { name: 'daily p95 series, 30 days', table: 'api_metrics', sql: endpointSeriesSql(tables, 'day'), days: 30 },
  { name: 'hourly p95 series, 21 days (regression watch)', table: 'api_metrics', sql: endpointSeriesSql(tables, 'hour'), days: 21 },
  { name: 'error groups, 30 days', table: 'error_logs', sql: errorGroupsSql(tables), days: 30 },
  { name: 'error groups, the 30 days before', table: 'error_logs', sql: errorGroupsSql(tables), days: 30 },
  { name: 'interaction stats, 30 days', table: 'customer_interactions', sql: interactionStatsSql(tables), days: 30 },
  // Learning's grouped read (interaction-group-queries.ts): five jobs, each over the window.
  { name: 'learning: facets, 30 days', table: 'customer_interactions', sql: facetsSql(tables), days: 30 },
  { name: 'learning: topic sample, 30 days', table: 'customer_interactions', sql: sampleSql(tables), days: 30 },
  { name: 'learning: customers per topic, 30 days', table: 'customer_interactions', sql: topicCustomersSql(tables), days: 30 },
  { name: 'learning: answer candidates, 30 days', table: 'customer_interactions', sql: candidatesSql(tables), days: 30 },
  { name: 'learning: profiled customers, 30 days', table: 'customer_interactions', sql: profileRowsSql(tables), days: 30 },
  // Features: the distinct messages, then the requests' rows (billed over every row of the window).
  { name: 'features: distinct messages, 30 days', table: 'customer_interactions', sql: distinctMessagesSql(tables), days: 30 },
  { name: "features: the requests' rows, 30 days", table: 'customer_interactions', sql: rowsWithMessagesSql(tables), days: 30 },
];
const limit = Number(VARIABLES.BIGQUERY_MAX_BYTES_BILLED.default);
const gb = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;

console.log(
  `BigQuery bytes billed per query of a full cycle: ${platform.api_metrics.toLocaleString('en-US')} metric rows, ${platform.error_logs.toLocaleString('en-US')} error lines, ${platform.customer_interactions.toLocaleString('en-US')} interactions per 30 days`,
);
console.log(
  `(average column sizes from the bundled sample; default BIGQUERY_MAX_BYTES_BILLED ${limit.toLocaleString('en-US')} bytes = ${gb(limit)} per query)\n`,
);
let total = 0;
let largest = 0;
for (const query of queries) {
  const read = Object.keys(COLUMNS[query.table]).filter((column) => new RegExp(`\\b${column}\\b`).test(query.sql));
  const perRow = read.reduce((sum, column) => sum + bytesPerRow.get(`${query.table}.${column}`)!, 0);
  const bytes = Math.max(10 * 1048576, perRow * platform[query.table] * query.days * DAY);
  total += bytes;
  largest = Math.max(largest, bytes);
  console.log(
    `  ${query.name.padEnd(46)} ${gb(bytes).padStart(10)}  ${((bytes / limit) * 100).toFixed(0).padStart(4)}% of the limit   columns: ${read.join(', ')} (${perRow.toFixed(0)} B/row)`,
  );
}
console.log(
  `\n  the cycle in all ${gb(total).padStart(41)}; the largest query ${gb(largest)} ${largest <= limit ? 'stays under' : 'EXCEEDS'} the per-query limit`,
);
