/**
 * The floor of a full cycle: the minimal SQL for the aggregates a full cycle needs, run straight on
 * @duckdb/node-api over the telemetry files, with nothing of ours in between (no adapter, no views,
 * no analyzers). Over the 30 days before `--as-of` (and the 30 before those for errors) it computes:
 *   1. per endpoint: calls, mean, p50/p95/p99 (quantile_cont) and mean error rate;
 *   2. the daily p95 series per endpoint (the daily regression detector's input);
 *   3. the hourly p95 series per endpoint over the last 14 + 7 days (the regression watch's input);
 *   4. error groups of the window and of the lookback: count, first and last seen, latest stack per
 *      masked message (digits folded, as error-queries.ts does) and endpoint;
 *   5. interactions per type and outcome (count, sentiment sum);
 *   6. interactions grouped by normalized text (trimmed, lower-cased message and response) with
 *      their count, every group read into JavaScript as the analyzers would.
 * Every result is read into JS values (so the cost of moving rows is in the floor). Prints one JSON
 * line: { ms, peakRssBytes, rows }; the time is the best of `--runs` (default 3) after a warm-up.
 * Run alone or from full-cycle.ts / cycle-scaling.ts, which spawn it so its RSS is its own:
 *   node --import tsx bench/cycle-floor.ts [telemetry dir, default the 1× sample] [--as-of 2026-01-31T00:00:00Z] [--runs 3]
 */
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

const DAY = 86_400_000;
const HOUR = 3_600_000;

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

/** `read_parquet([...])`, `read_json([...])` or `read_csv([...])` over the files named `<table>.*` or `<table>-*`. */
async function tableReader(dir: string, table: string): Promise<string> {
  const files = (await readdir(dir)).filter((name) => name.startsWith(`${table}.`) || name.startsWith(`${table}-`)).sort();
  if (!files.length) throw new Error(`no ${table}.* in ${dir}`);
  const list = `[${files.map((name) => `'${path.join(dir, name).replaceAll("'", "''")}'`).join(', ')}]`;
  if (files[0]!.includes('.parquet')) return `read_parquet(${list})`;
  if (files[0]!.includes('.csv')) return `read_csv(${list}, header = true)`;
  return `(SELECT * REPLACE (CAST(timestamp AS TIMESTAMP) AS timestamp) FROM read_json(${list}, format = 'newline_delimited'))`;
}

const ts = (date: Date) => `TIMESTAMP '${date.toISOString().replace('T', ' ').replace('Z', '')}'`;

export async function floorQueries(dir: string, asOf: Date): Promise<string[]> {
  const [metrics, errors, interactions] = await Promise.all(
    ['api_metrics', 'error_logs', 'customer_interactions'].map((table) => tableReader(dir, table)),
  );
  const to = new Date(Math.floor(asOf.getTime() / DAY) * DAY);
  const from = new Date(to.getTime() - 30 * DAY);
  const lookback = new Date(from.getTime() - 30 * DAY);
  const hourEnd = new Date(Math.floor(asOf.getTime() / HOUR) * HOUR);
  const hourFrom = new Date(hourEnd.getTime() - (14 + 7) * DAY);
  const errorGroups = (a: Date, b: Date) => `
    SELECT translate(error_message, '0123456789', '0000000000') AS masked, endpoint, count(*) AS n,
           min(timestamp) AS first_seen, max(timestamp) AS last_seen, arg_max(error_stack, timestamp) AS stack
      FROM ${errors}
     WHERE timestamp >= ${ts(a)} AND timestamp < ${ts(b)} AND error_message IS NOT NULL
     GROUP BY ALL`;
  return [
    `SELECT endpoint, count(*) AS calls, avg(response_time_ms) AS mean_ms,
            quantile_cont(response_time_ms, [0.5, 0.95, 0.99]) AS percentiles, avg(error_rate) AS error_rate
       FROM ${metrics}
      WHERE timestamp >= ${ts(from)} AND timestamp < ${ts(to)}
      GROUP BY endpoint`,
    `SELECT endpoint, date_trunc('day', timestamp) AS day, count(*) AS calls, quantile_cont(response_time_ms, 0.95) AS p95
       FROM ${metrics}
      WHERE timestamp >= ${ts(from)} AND timestamp < ${ts(to)}
      GROUP BY ALL`,
    `SELECT endpoint, date_trunc('hour', timestamp) AS hour, count(*) AS calls, quantile_cont(response_time_ms, 0.95) AS p95
       FROM ${metrics}
      WHERE timestamp >= ${ts(hourFrom)} AND timestamp < ${ts(hourEnd)}
      GROUP BY ALL`,
    errorGroups(from, to),
    errorGroups(lookback, from),
    `SELECT interaction_type, outcome, count(*) AS n, sum(sentiment_score) AS sentiment
       FROM ${interactions}
      WHERE timestamp >= ${ts(from)} AND timestamp < ${ts(to)}
      GROUP BY ALL`,
    `SELECT lower(trim(message)) AS message, lower(trim(response)) AS response, count(*) AS n
       FROM ${interactions}
      WHERE timestamp >= ${ts(from)} AND timestamp < ${ts(to)} AND message IS NOT NULL
      GROUP BY ALL`,
  ];
}

async function runAll(connection: DuckDBConnection, queries: string[]): Promise<number> {
  let rows = 0;
  for (const sql of queries) rows += (await (await connection.runAndReadAll(sql)).getRowObjects()).length;
  return rows;
}

export async function defaultSample(): Promise<{ dir: string }> {
  const { ensureSampleTelemetry } = await import('../src/demo/sample-telemetry.ts');
  const size = { metrics: 1_000_000, interactions: 100_000 };
  const dir = path.join(os.tmpdir(), 'improvement-loop-bench', `sample-${size.metrics}-${size.interactions}`);
  await ensureSampleTelemetry(dir, size);
  return { dir };
}

export interface FloorResult {
  ms: number;
  peakRssBytes: number;
  rows: number;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  // Alone (or from run-all.ts) it reads the 1× sample that full-cycle.ts generates.
  const given = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : undefined;
  const dir = given ? path.resolve(given) : (await defaultSample()).dir;
  const asOf = new Date(argument('--as-of', '2026-01-31T00:00:00Z'));
  const runs = Number(argument('--runs', '3'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const queries = await floorQueries(dir, asOf);
  let rows = await runAll(connection, queries);
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    rows = await runAll(connection, queries);
    best = Math.min(best, performance.now() - start);
  }
  connection.closeSync();
  instance.closeSync();
  const result: FloorResult = { ms: Math.round(best), peakRssBytes: process.resourceUsage().maxRSS * 1024, rows };
  console.log(JSON.stringify(result));
}
