/**
 * Cost of change-point detection per series: a stationary series stops after a few dozen
 * permutations (Besag–Clifford early stop); a series with a real change pays all 999, each an
 * O(n²) arc scan. The baseline is one arc scan of the same series, measured in the same run.
 * Run: node --import tsx bench/change-point-cost.ts
 */
import { findChangePoints } from '../src/analyzers/performance/change-points.ts';
import { midRanks, mostExtremeArc } from '../src/analyzers/performance/rank-arc-scan.ts';
import { seededRandom } from '../src/analyzers/performance/seeded-random.ts';

const random = seededRandom(7);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

function timeMs(run: () => void, repeat: number): number {
  run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) run();
  return Number(process.hrtime.bigint() - start) / 1e6 / repeat;
}

console.log('points  one arc scan   stationary series   series with a step');
for (const n of [30, 168, 720]) {
  const flat = Array.from({ length: n }, () => 300 * (1 + 0.1 * gaussian()));
  const step = flat.map((value, i) => (i < Math.floor(n * 0.6) ? value : value * 2));
  const repeat = n <= 30 ? 200 : n <= 168 ? 10 : 2;
  const scan = timeMs(() => mostExtremeArc(midRanks(flat), 3), repeat * 10);
  const stationary = timeMs(() => findChangePoints(flat), repeat);
  const changed = timeMs(() => findChangePoints(step), repeat);
  console.log(
    `${String(n).padStart(6)}  ${scan.toFixed(3).padStart(9)} ms  ${stationary.toFixed(1).padStart(15)} ms  ${changed.toFixed(1).padStart(16)} ms`,
  );
}
