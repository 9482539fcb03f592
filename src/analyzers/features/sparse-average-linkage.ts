/**
 * Weighted average-linkage clustering over a sparse similarity graph, cut at `minSimilarity`.
 *
 * Items are distinct texts, each with a weight (how many messages carried it), so 4,300 messages
 * that are 58 distinct texts cost what 58 do. Only pairs with a non-zero similarity are stored; a
 * missing pair counts as similarity 0, so the result is exactly that of dense average linkage in
 * which every item stands for `weight` identical copies (copies have similarity 1 and merge first).
 *
 * Each cluster keeps, per neighbouring cluster, the weighted sum of similarities across the two
 * (Σ wᵢ·wⱼ·sᵢⱼ); the mean is that sum over Wa·Wb, and merging two clusters adds their sums, the
 * Lance–Williams update for average linkage without an n² matrix. A heap with stale-entry skipping
 * finds the most similar pair. Ties go to the lowest indices, so equal input gives equal output.
 */

export interface SparseSimilarity {
  /** Weight of each item (≥ 1 for a text seen once). */
  weights: readonly number[];
  /** Pairs i < j with their similarity; pairs not listed have similarity 0. */
  pairs: readonly (readonly [i: number, j: number, similarity: number])[];
}

interface Candidate {
  mean: number;
  a: number;
  b: number;
  versionA: number;
  versionB: number;
}

export function sparseAverageLinkage(graph: SparseSimilarity, minSimilarity: number): number[][] {
  const n = graph.weights.length;
  const weight = [...graph.weights];
  const members: (number[] | undefined)[] = Array.from({ length: n }, (_, i) => [i]);
  const links: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  const version = new Array<number>(n).fill(0);
  for (const [i, j, s] of graph.pairs) {
    if (s <= 0 || i === j) continue;
    const sum = (links[i]!.get(j) ?? 0) + weight[i]! * weight[j]! * s;
    links[i]!.set(j, sum);
    links[j]!.set(i, sum);
  }
  const heap = new CandidateHeap();
  const offer = (a: number, b: number, sum: number) => {
    const [x, y] = a < b ? [a, b] : [b, a];
    const mean = sum / (weight[x]! * weight[y]!);
    if (mean >= minSimilarity) heap.push({ mean, a: x, b: y, versionA: version[x]!, versionB: version[y]! });
  };
  for (let i = 0; i < n; i++) for (const [j, sum] of links[i]!) if (i < j) offer(i, j, sum);

  for (;;) {
    const best = heap.pop();
    if (!best) break;
    const { a: keep, b: gone } = best;
    if (!members[keep] || !members[gone] || version[keep] !== best.versionA || version[gone] !== best.versionB) continue;
    members[keep] = [...members[keep]!, ...members[gone]!].sort((x, y) => x - y);
    members[gone] = undefined;
    weight[keep] = weight[keep]! + weight[gone]!;
    version[keep] = version[keep]! + 1;
    version[gone] = version[gone]! + 1;
    const merged = links[keep]!;
    merged.delete(gone);
    for (const [k, sum] of links[gone]!) if (k !== keep) merged.set(k, (merged.get(k) ?? 0) + sum);
    links[gone] = new Map();
    for (const [k, sum] of merged) {
      const theirs = links[k]!;
      theirs.delete(gone);
      theirs.set(keep, sum);
      offer(keep, k, sum);
    }
  }
  return members.filter((cluster): cluster is number[] => cluster !== undefined);
}

/** Binary max-heap on the mean, then the lower indices, so ties resolve the same way every run. */
class CandidateHeap {
  private readonly items: Candidate[] = [];

  push(candidate: Candidate): void {
    const items = this.items;
    items.push(candidate);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Candidate | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let first = i;
        if (left < items.length && before(items[left]!, items[first]!)) first = left;
        if (right < items.length && before(items[right]!, items[first]!)) first = right;
        if (first === i) break;
        [items[i], items[first]] = [items[first]!, items[i]!];
        i = first;
      }
    }
    return top;
  }
}

function before(x: Candidate, y: Candidate): boolean {
  return x.mean > y.mean || (x.mean === y.mean && (x.a < y.a || (x.a === y.a && x.b < y.b)));
}
