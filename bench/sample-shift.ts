/**
 * What keeping the bundled sample current costs, two ways: regenerating it so it ends today, or
 * shifting its timestamps in the DuckDB view (a constant whole-day interval fixed at view creation,
 * or one computed from current_date at query time). Each shifted variant runs a cycle's heaviest
 * query (exact percentiles per endpoint over the last day, and over 30 days) beside the baseline in
 * the same run: the unshifted view over the same rows. Medians of 5 runs after one warm-up.
 * Run: node --import tsx bench/sample-shift.ts
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { SAMPLE_END } from '../src/demo/planted.ts';
import { ensureSampleTelemetry, generateSampleTelemetry } from '../src/demo/sample-telemetry.ts';

const REPEAT = 5;
const DAY = 86_400_000;
const size = { metrics: 1_000_000, interactions: 100_000 };

async function medianMs(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(REPEAT / 2)]!;
}
const row = (name: string, ms: number) => console.log(`  ${name.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms`);

console.log(`Keeping the sample current (${os.cpus().length} cores, node ${process.version})`);
const scratch = await mkdtemp(path.join(os.tmpdir(), 'sample-shift-'));
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const generationStart = performance.now();
await generateSampleTelemetry(scratch, { ...size, end: today });
row(`regenerate 1M metric rows + 100k interactions ending ${today.toISOString().slice(0, 10)}`, performance.now() - generationStart);
await rm(scratch, { recursive: true, force: true });

const dir = path.join(os.tmpdir(), 'improvement-loop-bench', `sample-${size.metrics}-${size.interactions}`);
const { manifest } = await ensureSampleTelemetry(dir, size);
const file = path.join(dir, manifest.files.api_metrics!).replaceAll("'", "''");
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
await connection.run("SET GLOBAL TimeZone = 'UTC'");
const shiftDays = Math.round((today.getTime() - SAMPLE_END.getTime()) / DAY);
const views: Record<string, { timestamp: string; end: Date }> = {
  'baseline: unshifted view, windows ending 2026-01-31': { timestamp: 'timestamp', end: SAMPLE_END },
  [`constant shift (+${shiftDays} days), windows ending today`]: {
    timestamp: `timestamp + INTERVAL ${shiftDays} DAY`,
    end: today,
  },
  'current_date shift, windows ending today': {
    timestamp: `timestamp + (current_date - DATE '${SAMPLE_END.toISOString().slice(0, 10)}') * INTERVAL 1 DAY`,
    end: today,
  },
};
let i = 0;
for (const [name, view] of Object.entries(views)) {
  const viewName = `metrics_${i++}`;
  const created = performance.now();
  await connection.run(
    `CREATE VIEW ${viewName} AS SELECT ${view.timestamp} AS timestamp, endpoint, response_time_ms FROM read_parquet('${file}')`,
  );
  const createMs = performance.now() - created;
  const stats = (days: number) =>
    connection.run(
      `SELECT endpoint, count(*), quantile_cont(response_time_ms, [0.5, 0.95, 0.99]) FROM ${viewName}
        WHERE timestamp >= TIMESTAMP '${new Date(view.end.getTime() - days * DAY).toISOString()}' AND timestamp < TIMESTAMP '${view.end.toISOString()}'
        GROUP BY endpoint`,
    );
  console.log(name);
  row('create the view', createMs);
  row('percentiles per endpoint, last day', await medianMs(() => stats(1)));
  row('percentiles per endpoint, last 30 days', await medianMs(() => stats(30)));
}
connection.closeSync();
instance.closeSync();
