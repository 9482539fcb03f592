/**
 * Cost of change-point detection per series: PELT over piecewise-linear costs (about linear in
 * the points thanks to pruning, times the refits), plus a permutation test per change found, which
 * stops after a few dozen shuffles when a change is not significant. The baseline is one
 * best-split scan of the same series (one shuffle's worth of the test), measured in the same run.
 * Run: node --import tsx bench/change-point-cost.ts
 */
import { findChangePoints } from '../src/analyzers/performance/change-points.ts';
import { seededRandom } from '../src/analyzers/performance/seeded-random.ts';
import { bestSplitStatistic } from '../src/analyzers/performance/split-permutation-test.ts';

const random = seededRandom(7);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

function timeMs(run: () => void, repeat: number): number {
  run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) run();
  return Number(process.hrtime.bigint() - start) / 1e6 / repeat;
}

console.log('points  one split scan   stationary series   series with a step');
for (const n of [30, 168, 720]) {
  const flat = Array.from({ length: n }, () => 300 * (1 + 0.1 * gaussian()));
  const step = flat.map((value, i) => (i < Math.floor(n * 0.6) ? value : value * 2));
  const repeat = n <= 30 ? 200 : n <= 168 ? 20 : 3;
  const scan = timeMs(() => bestSplitStatistic(flat, 3, true), repeat * 10);
  const stationary = timeMs(() => findChangePoints(flat), repeat);
  const changed = timeMs(() => findChangePoints(step), repeat);
  console.log(
    `${String(n).padStart(6)}  ${scan.toFixed(3).padStart(10)} ms  ${stationary.toFixed(1).padStart(15)} ms  ${changed.toFixed(1).padStart(16)} ms`,
  );
}
