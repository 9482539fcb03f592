/**
 * How well a clustering recovers known classes, the two scores used for intent clustering:
 *
 * - accuracy: the best one-to-one matching of clusters to classes (Hungarian algorithm), as the
 *   share of items whose cluster is matched to their class; extra clusters match nothing;
 * - NMI: mutual information of the two labelings over the mean of their entropies (arithmetic
 *   normalization, scikit-learn's default), 1 for identical partitions, 0 for independent ones.
 */

export function clusteringAccuracy(truth: readonly string[], predicted: readonly (string | number)[]): number {
  if (truth.length === 0) return 1;
  const { table, rows, columns } = contingency(truth, predicted);
  // The Hungarian algorithm below needs rows ≤ columns; matching is symmetric, so transpose if not.
  const [r, c, at] =
    rows <= columns ? [rows, columns, (i: number, j: number) => table[i]![j]!] : [columns, rows, (i: number, j: number) => table[j]![i]!];
  const matched = maximumMatching(r, c, at);
  return matched / truth.length;
}

export function normalizedMutualInformation(truth: readonly string[], predicted: readonly (string | number)[]): number {
  const n = truth.length;
  if (n === 0) return 1;
  const { table } = contingency(truth, predicted);
  const rowSums = table.map((row) => row.reduce((s, v) => s + v, 0));
  const columnSums = table[0]!.map((_, j) => table.reduce((s, row) => s + row[j]!, 0));
  let mutual = 0;
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      if (count > 0) mutual += (count / n) * Math.log((n * count) / (rowSums[i]! * columnSums[j]!));
    }),
  );
  const entropy = (sums: number[]) => -sums.reduce((h, s) => (s > 0 ? h + (s / n) * Math.log(s / n) : h), 0);
  const mean = (entropy(rowSums) + entropy(columnSums)) / 2;
  return mean === 0 ? 1 : mutual / mean;
}

function contingency(truth: readonly string[], predicted: readonly (string | number)[]) {
  if (truth.length !== predicted.length) throw new Error(`${truth.length} true labels but ${predicted.length} predicted ones`);
  const classes = new Map<string, number>();
  const clusters = new Map<string | number, number>();
  for (const t of truth) if (!classes.has(t)) classes.set(t, classes.size);
  for (const p of predicted) if (!clusters.has(p)) clusters.set(p, clusters.size);
  const table = Array.from({ length: classes.size }, () => new Array<number>(clusters.size).fill(0));
  truth.forEach((t, i) => (table[classes.get(t)!]![clusters.get(predicted[i]!)!]! += 1));
  return { table, rows: classes.size, columns: clusters.size };
}

/**
 * The largest total of `weight(i, j)` over a matching of every row to a distinct column, rows ≤
 * columns: the Hungarian algorithm with potentials, O(rows² · columns).
 */
function maximumMatching(rows: number, columns: number, weight: (i: number, j: number) => number): number {
  const INF = Number.POSITIVE_INFINITY;
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(columns + 1);
  const rowOf = new Int32Array(columns + 1); // column j (1-based) is matched to row rowOf[j] (1-based, 0 = none)
  const way = new Int32Array(columns + 1);
  const cost = (i: number, j: number) => -weight(i - 1, j - 1);
  for (let i = 1; i <= rows; i++) {
    rowOf[0] = i;
    let j0 = 0;
    const minv = new Float64Array(columns + 1).fill(INF);
    const used = new Uint8Array(columns + 1);
    do {
      used[j0] = 1;
      const i0 = rowOf[j0]!;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= columns; j++) {
        if (used[j]) continue;
        const current = cost(i0, j) - u[i0]! - v[j]!;
        if (current < minv[j]!) {
          minv[j] = current;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= columns; j++) {
        if (used[j]) {
          u[rowOf[j]!] = u[rowOf[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (rowOf[j0] !== 0);
    do {
      const j1 = way[j0]!;
      rowOf[j0] = rowOf[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  let total = 0;
  for (let j = 1; j <= columns; j++) if (rowOf[j]! > 0) total += weight(rowOf[j]! - 1, j - 1);
  return total;
}
