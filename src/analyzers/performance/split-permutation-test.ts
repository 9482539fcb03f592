import { seededRandom, shuffleInPlace } from './seeded-random.ts';

/**
 * How surprising a change is: the share of the variation around straight lines that a split
 * explains, F = (RSS of one line − RSS of a line either side) / RSS of the two lines, and a
 * permutation p-value for it that allows for the split having been chosen (each shuffle is scored
 * by its best split, not by the split at the same place). Shuffling makes no assumption about the
 * noise's distribution, so heavy tails do not turn into false alarms; and, unlike a rank test, the
 * statistic grows with the size of a shift, so three points at twice the level at the end of 30
 * can still stand out (three given values land side by side at one end in 0.05% of shuffles).
 */

interface Sums {
  t: Float64Array;
  tt: Float64Array;
  y: Float64Array;
  yy: Float64Array;
  ty: Float64Array;
}

function prefixSums(values: ArrayLike<number>): Sums {
  const n = values.length;
  const sums: Sums = {
    t: new Float64Array(n + 1),
    tt: new Float64Array(n + 1),
    y: new Float64Array(n + 1),
    yy: new Float64Array(n + 1),
    ty: new Float64Array(n + 1),
  };
  for (let i = 0; i < n; i++) {
    const t = i / n;
    const y = values[i]!;
    sums.t[i + 1] = sums.t[i]! + t;
    sums.tt[i + 1] = sums.tt[i]! + t * t;
    sums.y[i + 1] = sums.y[i]! + y;
    sums.yy[i + 1] = sums.yy[i]! + y * y;
    sums.ty[i + 1] = sums.ty[i]! + t * y;
  }
  return sums;
}

function lineRss(sums: Sums, start: number, end: number, withSlope: boolean): number {
  const m = end - start;
  const st = sums.t[end]! - sums.t[start]!;
  const sy = sums.y[end]! - sums.y[start]!;
  const ctt = sums.tt[end]! - sums.tt[start]! - (st * st) / m;
  const cyy = sums.yy[end]! - sums.yy[start]! - (sy * sy) / m;
  const cty = sums.ty[end]! - sums.ty[start]! - (st * sy) / m;
  return Math.max(0, withSlope && ctt > 1e-15 ? cyy - (cty * cty) / ctt : cyy);
}

function splitF(sums: Sums, n: number, at: number, whole: number, withSlope: boolean): number {
  const parts = lineRss(sums, 0, at, withSlope) + lineRss(sums, at, n, withSlope);
  // A split that leaves no residual at all explains everything; Infinity keeps such splits comparable.
  return parts <= whole * 1e-12 ? (whole > 0 ? Infinity : 0) : (whole - parts) / parts;
}

/** F of the split at `at` (the first index of the second part). */
export function splitStatistic(values: readonly number[], at: number, withSlope: boolean): number {
  const sums = prefixSums(values);
  return splitF(sums, values.length, at, lineRss(sums, 0, values.length, withSlope), withSlope);
}

/** The largest F over splits leaving at least `minLength` values on each side. */
export function bestSplitStatistic(values: ArrayLike<number>, minLength: number, withSlope: boolean): number {
  const n = values.length;
  const sums = prefixSums(values);
  const whole = lineRss(sums, 0, n, withSlope);
  let best = 0;
  for (let at = minLength; at <= n - minLength; at++) best = Math.max(best, splitF(sums, n, at, whole, withSlope));
  return best;
}

/**
 * (1 + shuffles at least as extreme) / (1 + shuffles): never 0, and exact for exchangeable data.
 * It stops once enough shuffles have matched the observation for `alpha` to be out of reach
 * (Besag & Clifford 1991), so noise costs a few dozen shuffles and only real changes cost them all.
 */
export function splitPValue(
  values: readonly number[],
  at: number,
  options: { minLength: number; permutations: number; alpha: number; seed: number; withSlope: boolean },
): number {
  const observed = splitStatistic(values, at, options.withSlope);
  const random = seededRandom(options.seed);
  const shuffled = Float64Array.from(values);
  const limit = options.alpha * (options.permutations + 1);
  let exceeded = 0;
  let done = 0;
  while (done < options.permutations) {
    shuffleInPlace(shuffled, random);
    done += 1;
    // A relative tolerance, so a shuffle that reproduces the observed order counts as reaching it.
    if (bestSplitStatistic(shuffled, options.minLength, options.withSlope) >= observed * (1 - 1e-9)) exceeded += 1;
    if (exceeded + 1 > limit) break;
  }
  return (exceeded + 1) / (done + 1);
}
