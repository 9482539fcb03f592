/**
 * A full cycle over the bundled sample (1M metric rows and 100k interactions; with --large also 10M
 * and 1M; with --ndjson also over an NDJSON copy of each) beside its floor, measured in the same
 * run: bench/cycle-floor.ts, the minimal SQL for the same aggregates straight on DuckDB over the
 * same files. Each runs in a process of its own (cycle-once.ts, cycle-floor.ts), so each peak RSS
 * is its own. Samples are generated once under the system temp dir and reused.
 * Run: node --import tsx bench/full-cycle.ts [--large] [--ndjson]
 */
import os from 'node:os';
import path from 'node:path';
import { SAMPLE_END } from '../src/demo/planted.ts';
import { ensureSampleTelemetry } from '../src/demo/sample-telemetry.ts';
import type { FloorResult } from './cycle-floor.ts';
import { ndjsonCopy } from './ndjson-copy.ts';
import { mib, spawnMeasurement } from './spawn-measurement.ts';

interface CycleResult {
  ms: number;
  cpuMs?: number;
  prepareMs?: number;
  peakRssBytes: number;
  analyzers: { name: string; ms: number; findings: number }[];
}

const sizes = [{ metrics: 1_000_000, interactions: 100_000 }];
if (process.argv.includes('--large')) sizes.push({ metrics: 10_000_000, interactions: 1_000_000 });
const asOf = ['--as-of', SAMPLE_END.toISOString()];

console.log(`Full cycle vs its floor, bare DuckDB over the same files (${os.cpus().length} cores, node ${process.version})`);
for (const size of sizes) {
  const sampleDir = path.join(os.tmpdir(), 'improvement-loop-bench', `sample-${size.metrics}-${size.interactions}`);
  await ensureSampleTelemetry(sampleDir, size);
  const copies: [string, string][] = [['Parquet', sampleDir]];
  if (process.argv.includes('--ndjson')) copies.push(['NDJSON', await ndjsonCopy(sampleDir)]);
  for (const [format, dir] of copies) {
    const floor = await spawnMeasurement<FloorResult>('cycle-floor.ts', [dir, ...asOf]);
    const cycle = await spawnMeasurement<CycleResult>('cycle-once.ts', [dir, ...asOf]);
    console.log(
      `\n${size.metrics.toLocaleString('en-US')} metric rows, ${size.interactions.toLocaleString('en-US')} interactions, ${format}`,
    );
    console.log(`  floor: bare DuckDB, same aggregates   ${String(floor.ms).padStart(7)} ms   peak RSS ${mib(floor.peakRssBytes)}`);
    console.log(
      `  full cycle (5 analyzers, filing)      ${String(cycle.ms).padStart(7)} ms   peak RSS ${mib(cycle.peakRssBytes)}   ratio ${(cycle.ms / floor.ms).toFixed(1)}×${cycle.cpuMs === undefined ? '' : `   CPU ${cycle.cpuMs} ms`}`,
    );
    if (cycle.prepareMs !== undefined)
      console.log(
        `  opening the warehouse before the cycle ${String(cycle.prepareMs).padStart(7)} ms   (CSV/NDJSON: their one conversion to Parquet)`,
      );
    console.log(`  per analyzer: ${cycle.analyzers.map((a) => `${a.name} ${a.ms} ms (${a.findings})`).join(', ')}`);
  }
}
