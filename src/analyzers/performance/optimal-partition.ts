/**
 * PELT (Killick, Fearnhead & Eckley, JASA 2012): the exact minimizer of Σ segment cost + penalty ×
 * number of changes, in about linear time. A candidate start s is dropped for good once
 * F(s) + cost(s, t) exceeds F(t), which is safe for any cost where splitting a segment never costs
 * more than keeping it whole (true of a residual sum of squares).
 */
export function optimalPartition(n: number, cost: (start: number, end: number) => number, penalty: number, minLength: number): number[] {
  if (n < 2 * minLength) return [];
  const best = new Float64Array(n + 1).fill(Infinity);
  const previous = new Int32Array(n + 1);
  best[0] = -penalty;
  let candidates: number[] = [];
  for (let t = minLength; t <= n; t++) {
    // A start becomes eligible once the segment from it can reach the minimum length.
    const eligible = t - minLength;
    if (eligible === 0 || (eligible >= minLength && Number.isFinite(best[eligible]!))) candidates.push(eligible);
    let value = Infinity;
    let from = 0;
    const totals = candidates.map((s) => best[s]! + cost(s, t) + penalty);
    totals.forEach((total, k) => {
      if (total < value) {
        value = total;
        from = candidates[k]!;
      }
    });
    best[t] = value;
    previous[t] = from;
    candidates = candidates.filter((_, k) => totals[k]! - penalty <= value);
  }
  const cuts: number[] = [];
  for (let t = previous[n]!; t > 0; t = previous[t]!) cuts.push(t);
  return cuts.reverse();
}
