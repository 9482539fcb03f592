/**
 * How a full cycle grows with the data: the bundled sample at 1×, 2×, 5× and 10× (1M metric rows
 * and 100k interactions per 1×; error lines grow with the metric rows), each cycle and its floor
 * (cycle-floor.ts, bare DuckDB over the same files) in a process of its own, measured in this run.
 * Prints time and peak RSS per size and draws docs/cycle-scaling.svg. Samples are generated once
 * under the system temp dir and reused (10× takes a while the first time).
 * Run: node --import tsx bench/cycle-scaling.ts [--sizes 1,2,5,10] [--svg docs/cycle-scaling.svg]
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SAMPLE_END } from '../src/demo/planted.ts';
import { ensureSampleTelemetry } from '../src/demo/sample-telemetry.ts';
import type { FloorResult } from './cycle-floor.ts';
import { scalingSvg, type ScalingPoint } from './scaling-svg.ts';
import { mib, spawnMeasurement } from './spawn-measurement.ts';

function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const factors = argument('--sizes', '1,2,5,10').split(',').map(Number);
const svgFile = path.resolve(argument('--svg', path.join(import.meta.dirname, '..', 'docs', 'cycle-scaling.svg')));
const asOf = ['--as-of', SAMPLE_END.toISOString()];

console.log(`Full cycle at growing sizes, beside its floor (${os.cpus().length} cores, node ${process.version})`);
console.log('  size   metric rows  interactions  error rows   floor ms  floor RSS    cycle ms  cycle RSS  cycle/floor  time/1×');
const points: ScalingPoint[] = [];
for (const factor of factors) {
  const size = { metrics: 1_000_000 * factor, interactions: 100_000 * factor };
  const dir = path.join(os.tmpdir(), 'improvement-loop-bench', `sample-${size.metrics}-${size.interactions}`);
  const { manifest } = await ensureSampleTelemetry(dir, size);
  const floor = await spawnMeasurement<FloorResult>('cycle-floor.ts', [dir, ...asOf]);
  const cycle = await spawnMeasurement<{ ms: number; peakRssBytes: number }>('cycle-once.ts', [dir, ...asOf]);
  points.push({ factor, floorMs: floor.ms, floorRss: floor.peakRssBytes, cycleMs: cycle.ms, cycleRss: cycle.peakRssBytes });
  const base = points[0]!;
  console.log(
    `  ${`${factor}×`.padStart(4)} ${manifest.metrics.toLocaleString('en-US').padStart(13)} ${manifest.interactions.toLocaleString('en-US').padStart(13)} ${manifest.errors
      .toLocaleString('en-US')
      .padStart(
        11,
      )} ${String(floor.ms).padStart(10)} ${mib(floor.peakRssBytes).padStart(10)} ${String(cycle.ms).padStart(11)} ${mib(cycle.peakRssBytes).padStart(10)} ${`${(cycle.ms / floor.ms).toFixed(1)}×`.padStart(12)} ${`${((cycle.ms / base.cycleMs) * base.factor).toFixed(1)}×`.padStart(8)}`,
  );
  // Drawn after every size, so an interrupted run still leaves the sizes it measured.
  await writeFile(
    svgFile,
    scalingSvg(points, `${os.cpus().length} cores, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`),
  );
}
console.log(`\nPlot: ${svgFile}`);
