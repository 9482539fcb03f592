import { seededRandom, shuffleInPlace } from './seeded-random.ts';

/**
 * How surprising a change is, told by ranks: the standardized Wilcoxon rank-sum of the values
 * before a split against those after it, and a permutation p-value for it that accounts for the
 * split having been chosen (each shuffle is scored by its most extreme split, not by the split at
 * the same place). Ranks, so the p-value does not depend on the scale or on one wild value.
 */

/** Ranks 1..n, ties sharing their mean rank, so a flat series has no split that stands out. */
export function midRanks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  const ranks = new Float64Array(values.length);
  for (let lo = 0; lo < order.length; ) {
    let hi = lo;
    while (hi + 1 < order.length && values[order[hi + 1]!] === values[order[lo]!]) hi += 1;
    const rank = (lo + hi) / 2 + 1;
    for (let k = lo; k <= hi; k++) ranks[order[k]!] = rank;
    lo = hi + 1;
  }
  return ranks;
}

/** |standardized rank sum| of ranks[0, at) against the rest: about N(0, 1) for exchangeable data. */
export function splitStatistic(ranks: Float64Array, at: number): number {
  const n = ranks.length;
  let sum = 0;
  for (let i = 0; i < at; i++) sum += ranks[i]!;
  return Math.abs(sum - (at * (n + 1)) / 2) / Math.sqrt((at * (n - at) * (n + 1)) / 12);
}

/** The largest split statistic over splits leaving at least `minLength` values on each side. */
export function mostExtremeSplit(ranks: Float64Array, minLength: number): number {
  const n = ranks.length;
  const mean = (n + 1) / 2;
  let sum = 0;
  let best = 0;
  for (let at = 1; at <= n - minLength; at++) {
    sum += ranks[at - 1]!;
    if (at < minLength) continue;
    best = Math.max(best, Math.abs(sum - at * mean) / Math.sqrt((at * (n - at) * (n + 1)) / 12));
  }
  return best;
}

/** (1 + shuffles at least as extreme) / (1 + shuffles): never 0, and exact for exchangeable data. */
export function splitPValue(ranks: Float64Array, observed: number, options: { minLength: number; permutations: number; seed: number }): number {
  const random = seededRandom(options.seed);
  const shuffled = Float64Array.from(ranks);
  let exceeded = 0;
  for (let done = 0; done < options.permutations; done++) {
    shuffleInPlace(shuffled, random);
    // A relative tolerance, so a shuffle that reproduces the observed order counts as reaching it.
    if (mostExtremeSplit(shuffled, options.minLength) >= observed * (1 - 1e-12)) exceeded += 1;
  }
  return (exceeded + 1) / (options.permutations + 1);
}
