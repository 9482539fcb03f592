import { seededRandom, shuffleInPlace } from './seeded-random.ts';

/**
 * The test at the heart of change-point detection: circular binary segmentation (Olshen et al.,
 * Biostatistics 2004) computed on ranks. Among all arcs [i, j) of a segment, find the one whose
 * values differ most from the rest, measured by the standardized Wilcoxon rank-sum of the arc; its
 * permutation p-value says how often shuffled data would show an arc that extreme.
 *
 * Arcs rather than single splits, because a regression that is later fixed (300 → 900 → 300) has no
 * single split that separates it; ranks rather than values, because one 10× latency spike must not
 * look like a shift. Arcs touching either end are single splits, so a plain step is found as well.
 */

export interface Arc {
  /** Start of the arc, relative to the segment; 0 means the arc is the segment's head. */
  start: number;
  /** End (exclusive); equal to the segment length means the arc is its tail. */
  end: number;
  /** |standardized rank sum|: about N(0, 1) for one arc of exchangeable data. */
  z: number;
}

/** Ranks 1..n, ties sharing their mean rank, so a flat series has no arc that stands out. */
export function midRanks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]! || a - b);
  const ranks = new Float64Array(values.length);
  for (let lo = 0; lo < order.length;) {
    let hi = lo;
    while (hi + 1 < order.length && values[order[hi + 1]!] === values[order[lo]!]) hi += 1;
    const rank = (lo + hi) / 2 + 1;
    for (let k = lo; k <= hi; k++) ranks[order[k]!] = rank;
    lo = hi + 1;
  }
  return ranks;
}

/**
 * The most extreme arc whose every resulting piece has at least `minLength` points, or undefined
 * when the segment is too short. Ties keep the first arc found (smallest start, then end).
 */
export function mostExtremeArc(ranks: Float64Array, minLength: number): Arc | undefined {
  const n = ranks.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + ranks[i]!;
  const mean = (n + 1) / 2;
  const spread = new Float64Array(n);
  for (let m = 1; m < n; m++) spread[m] = Math.sqrt((m * (n - m) * (n + 1)) / 12);
  let best: Arc | undefined;
  for (let i = 0; i <= n - minLength; i++) {
    if (i > 0 && i < minLength) continue;
    for (let j = i + minLength; j <= n; j++) {
      if ((j < n && n - j < minLength) || (i === 0 && j === n)) continue;
      const m = j - i;
      const z = Math.abs(prefix[j]! - prefix[i]! - m * mean) / spread[m]!;
      if (!best || z > best.z) best = { start: i, end: j, z };
    }
  }
  return best;
}

/**
 * Permutation p-value of the observed arc statistic, (1 + exceedances) / (1 + permutations). It
 * stops as soon as enough shuffles have matched the observation for `alpha` to be out of reach
 * (Besag & Clifford 1991), so noise costs a few dozen shuffles and only real changes cost them all.
 */
export function arcPValue(
  ranks: Float64Array,
  observed: number,
  options: { minLength: number; permutations: number; alpha: number; seed: number },
): number {
  const random = seededRandom(options.seed);
  const shuffled = Float64Array.from(ranks);
  const limit = options.alpha * (options.permutations + 1);
  let exceeded = 0;
  let done = 0;
  while (done < options.permutations) {
    shuffleInPlace(shuffled, random);
    done += 1;
    // A relative tolerance, so the observed arc's own value under a no-op shuffle counts as reached.
    if ((mostExtremeArc(shuffled, options.minLength)?.z ?? 0) >= observed * (1 - 1e-12)) exceeded += 1;
    if (exceeded + 1 > limit) break;
  }
  return (exceeded + 1) / (done + 1);
}
