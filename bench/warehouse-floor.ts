/**
 * The floor of a cycle's warehouse time: the bare aggregate queries of the DuckDB adapter over the
 * sample (1M metric rows, 100k interactions; with --large also 10M and 1M), each the median of a
 * few runs after a warm-up, next to a baseline measured in the same run: one scan of the window's
 * response times straight from the Parquet file. A full-cycle benchmark is compared with these.
 * Samples are generated once under the system temp dir and reused.
 * Run: node --import tsx bench/warehouse-floor.ts [--large]
 */
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDuckDbWarehouse } from '../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { SAMPLE_END, sampleStart } from '../src/demo/planted.ts';
import { ensureSampleTelemetry } from '../src/demo/sample-telemetry.ts';

const sizes = [{ metrics: 1_000_000, interactions: 100_000 }];
if (process.argv.includes('--large')) sizes.push({ metrics: 10_000_000, interactions: 1_000_000 });
const REPEAT = 5;
const month = { from: sampleStart(), to: SAMPLE_END };
const lastDay = { from: new Date(SAMPLE_END.getTime() - 86_400_000), to: SAMPLE_END };

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

const row = (name: string, ms: number, note = '') => console.log(`  ${name.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms  ${note}`);

console.log(`DuckDB warehouse floor (${os.cpus().length} cores, node ${process.version}); medians of ${REPEAT} runs after one warm-up`);
for (const size of sizes) {
  const dir = path.join(os.tmpdir(), 'improvement-loop-bench', `sample-${size.metrics}-${size.interactions}`);
  const generationStart = performance.now();
  const { manifest, generated } = await ensureSampleTelemetry(dir, size);
  const generationMs = performance.now() - generationStart;
  console.log(
    `\n${manifest.metrics.toLocaleString('en-US')} metric rows, ${manifest.interactions.toLocaleString('en-US')} interactions, ${manifest.errors.toLocaleString('en-US')} error rows at ${dir}`,
  );
  row('generate the sample', generationMs, generated ? '(generated now)' : '(reused; delete the directory to time generation)');

  const openStart = performance.now();
  const warehouse = await createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(dir, '.write-back'), label: 'sample' });
  row('open the warehouse (views, row counts)', performance.now() - openStart);

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const file = path.join(dir, manifest.files.api_metrics!).replaceAll("'", "''");
  row(
    'baseline: scan a month of response times',
    await medianMs(() =>
      connection.run(
        `SELECT count(*), sum(response_time_ms) FROM read_parquet('${file}') WHERE timestamp >= TIMESTAMP '2026-01-01' AND timestamp < TIMESTAMP '2026-01-31'`,
      ),
    ),
  );
  connection.closeSync();
  instance.closeSync();

  row('endpointStats, 30 days', await medianMs(() => warehouse.endpointStats(month)));
  row('endpointStats, last day', await medianMs(() => warehouse.endpointStats(lastDay)));
  row('endpointSeries by day, all endpoints, 30 days', await medianMs(() => warehouse.endpointSeries(month, 'day', [])));
  row('endpointSeries by hour, all endpoints, 30 days', await medianMs(() => warehouse.endpointSeries(month, 'hour', [])));
  row(
    'endpointSeries by hour, one endpoint, 30 days',
    await medianMs(() => warehouse.endpointSeries(month, 'hour', ['GET /api/orders/:id'])),
  );
  row('errorMessages, 30 days, cap 10,000', await medianMs(() => warehouse.errorMessages(month, 10_000)));
  row('interactionStats, 30 days', await medianMs(() => warehouse.interactionStats(month)));
  row('interactionTexts, 30 days, cap 20,000', await medianMs(() => warehouse.interactionTexts(month, 20_000)));
  await warehouse.close();
}
