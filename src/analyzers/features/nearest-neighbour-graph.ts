/**
 * The k-nearest-neighbour graph of a similarity graph: an edge is kept when either end has the
 * other among its `k` most similar items (ties to the lower index), with its similarity as weight.
 * On short texts this keeps the local structure — which texts are each other's closest — and drops
 * the long tail of weak similarities that makes related themes (checking a credit score, improving
 * it) look alike on average.
 */
export function nearestNeighbourGraph(
  n: number,
  pairs: readonly (readonly [i: number, j: number, similarity: number])[],
  k: number,
): [i: number, j: number, similarity: number][] {
  const near: [number, number][][] = Array.from({ length: n }, () => []);
  for (const [i, j, s] of pairs) {
    if (s <= 0) continue;
    near[i]!.push([j, s]);
    near[j]!.push([i, s]);
  }
  const top = near.map(
    (list) =>
      new Set(
        list
          .sort((a, b) => b[1] - a[1] || a[0] - b[0])
          .slice(0, k)
          .map(([j]) => j),
      ),
  );
  return pairs.filter(([i, j, s]) => s > 0 && (top[i]!.has(j) || top[j]!.has(i))).map(([i, j, s]) => [i, j, s]);
}
