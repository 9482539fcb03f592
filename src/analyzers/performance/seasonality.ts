import { median } from './robust-statistics.ts';

/**
 * A repeating cycle (weekday traffic, monthly seasons) is not a change, but a segmentation that
 * fits lines will cut each of its rises and falls. This finds the period whose cycle explains the
 * series best and subtracts it. It works on first differences, where a level shift is a single
 * outlier and a trend is a constant, and takes the median difference at each phase, so neither
 * shifts nor trends pass for a cycle. A period is kept only if it lowers a BIC-like score against
 * no cycle at all (each phase costs one parameter), and needs `minCycles` repetitions.
 */
export function deseasonalized(values: readonly number[], minCycles = 3): { values: number[]; cycle: number[]; period: number | null } {
  const n = values.length;
  const diffs = values.slice(1).map((value, i) => value - values[i]!);
  const m = diffs.length;
  const baseline = absoluteResidual(diffs, 1);
  if (!(baseline > 0)) return { values: [...values], cycle: values.map(() => 0), period: null };
  let bestPeriod: number | null = null;
  let bestScore = m * Math.log(baseline);
  for (let period = 2; period * minCycles <= n; period++) {
    const score = m * Math.log(Math.max(absoluteResidual(diffs, period), Number.MIN_VALUE)) + (period - 1) * Math.log(m);
    if (score < bestScore) {
      bestScore = score;
      bestPeriod = period;
    }
  }
  if (bestPeriod === null) return { values: [...values], cycle: values.map(() => 0), period: null };
  const profile = cycleProfile(diffs, bestPeriod);
  const cycle = values.map((_, i) => profile[i % bestPeriod!]!);
  return { values: values.map((value, i) => value - cycle[i]!), cycle, period: bestPeriod };
}

function phaseMedians(diffs: readonly number[], period: number): number[] {
  return Array.from({ length: period }, (_, phase) => median(diffs.filter((_, i) => i % period === phase)));
}

/** Mean |difference − its phase's median|: the part of the differences the cycle leaves unexplained. */
function absoluteResidual(diffs: readonly number[], period: number): number {
  const medians = phaseMedians(diffs, period);
  return diffs.reduce((sum, d, i) => sum + Math.abs(d - medians[i % period]!), 0) / diffs.length;
}

/**
 * The cycle's value at each phase: the phase medians of the differences, less their mean (that is
 * the trend), summed up, and centered. Difference i is value i+1 − value i, so it sets phase i+1.
 */
function cycleProfile(diffs: readonly number[], period: number): number[] {
  const medians = phaseMedians(diffs, period);
  const drift = medians.reduce((a, b) => a + b, 0) / period;
  const profile = new Array<number>(period).fill(0);
  for (let k = 1; k < period; k++) profile[k] = profile[k - 1]! + medians[(k - 1) % period]! - drift;
  const mean = profile.reduce((a, b) => a + b, 0) / period;
  return profile.map((v) => v - mean);
}
