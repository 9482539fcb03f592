/**
 * A full cycle over the bundled sample (1M metric rows and 100k interactions; with --large 10M and
 * 1M): wall time and peak memory of the five analyzers filing their findings into a fresh embedded
 * store, beside the floor measured in the same process: the bare warehouse aggregate queries the
 * cycle cannot avoid (endpoint stats and series, error messages, interaction stats and texts).
 * Samples are generated once under the system temp dir and reused (shared with warehouse-floor.ts).
 * Run: node --import tsx bench/full-cycle.ts [--large]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/app.ts';
import { silentLogger } from '../src/logging.ts';
import { SAMPLE_END, sampleStart } from '../src/demo/planted.ts';
import { ensureSampleTelemetry } from '../src/demo/sample-telemetry.ts';
import { createDuckDbWarehouse } from '../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { DEFAULT_ERROR_TEXT_CAP } from '../src/analyzers/bugs/bug-analyzer.ts';
import { DEFAULT_FEATURE_TEXT_CAP } from '../src/analyzers/features/feature-analyzer.ts';
import { DEFAULT_LEARNING_TEXT_CAP } from '../src/analyzers/learning/learning-analyzer.ts';

const sizes = [{ metrics: 1_000_000, interactions: 100_000 }];
if (process.argv.includes('--large')) sizes.push({ metrics: 10_000_000, interactions: 1_000_000 });
const month = { from: sampleStart(), to: SAMPLE_END };
const lookback = { from: new Date(month.from.getTime() - 30 * 86_400_000), to: month.from };

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
sampler.unref();
const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

console.log(`Full cycle vs the warehouse floor (${os.cpus().length} cores, node ${process.version})`);
for (const size of sizes) {
  const sampleDir = path.join(os.tmpdir(), 'improvement-loop-bench', `sample-${size.metrics}-${size.interactions}`);
  await ensureSampleTelemetry(sampleDir, size);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'il-bench-cycle-'));
  try {
    // The floor: the queries a full cycle makes, run bare (after a warm-up run of each).
    const warehouse = await createDuckDbWarehouse({ telemetryDir: sampleDir, writeDir: dataDir, label: 'sample' });
    const floorQueries = () =>
      Promise.all([
        warehouse.endpointStats(month),
        warehouse.endpointSeries(month, 'day', []),
        warehouse.errorMessages(month, DEFAULT_ERROR_TEXT_CAP),
        warehouse.errorMessages(lookback, DEFAULT_ERROR_TEXT_CAP),
        warehouse.interactionStats(month),
        // Learning and features each read the window's texts (up to their caps) once.
        warehouse.interactionTexts(month, DEFAULT_LEARNING_TEXT_CAP),
        warehouse.interactionTexts(month, DEFAULT_FEATURE_TEXT_CAP),
      ]);
    await floorQueries();
    const floorStart = performance.now();
    await floorQueries();
    const floorMs = performance.now() - floorStart;
    await warehouse.close();

    const config = loadConfig({ DATA_DIR: dataDir, TELEMETRY_DIR: sampleDir, LOG_LEVEL: 'silent' });
    const app = await buildApp(config, silentLogger());
    await app.prepare();
    peakRss = process.memoryUsage().rss;
    const cycleStart = performance.now();
    const { report } = await app.runCycle({ type: 'full', asOf: SAMPLE_END });
    const cycleMs = performance.now() - cycleStart;
    await app.close();

    console.log(`\n${size.metrics.toLocaleString('en-US')} metric rows, ${size.interactions.toLocaleString('en-US')} interactions`);
    console.log(`  floor: bare aggregate queries        ${floorMs.toFixed(0).padStart(7)} ms`);
    console.log(
      `  full cycle (5 analyzers, filing)     ${cycleMs.toFixed(0).padStart(7)} ms   ratio ${(cycleMs / floorMs).toFixed(1)}×   peak RSS ${mb(peakRss)}`,
    );
    console.log(`  per analyzer: ${report.analyzers.map((a) => `${a.name} ${a.durationMs} ms (${a.findings})`).join(', ')}`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
