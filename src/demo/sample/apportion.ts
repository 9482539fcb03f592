/**
 * Splits `total` into whole parts proportional to `weights` by the largest-remainder method, so the
 * parts add up to `total` exactly: planted counts are exact at any sample size, not just on average.
 * Ties go to the earlier weight, so the split is deterministic.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || sum <= 0) return weights.map(() => 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const parts = exact.map(Math.floor);
  let missing = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (missing <= 0) break;
    parts[index]! += 1;
    missing -= 1;
  }
  return parts;
}
