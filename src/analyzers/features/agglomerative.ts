/**
 * Average-linkage agglomerative clustering with a similarity cut: start with every item alone and
 * keep merging the two most similar clusters while their mean pairwise similarity is at least
 * `minSimilarity`. The number of clusters follows from the data and the cut, not from a k chosen
 * in advance. Ties go to the lowest indices, so the same input always gives the same clusters.
 *
 * Memory is n² doubles (32 MB at n = 2000); each item keeps its most similar partner cached, so a
 * merge usually costs O(n) and a full run O(n²), O(n³) only in adversarial cases.
 */
export function averageLinkageClusters(n: number, similarity: (i: number, j: number) => number, minSimilarity: number): number[][] {
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) sim[i * n + j] = sim[j * n + i] = similarity(i, j);
  }
  const members: (number[] | undefined)[] = Array.from({ length: n }, (_, i) => [i]);
  const partner = new Int32Array(n).fill(-1);
  const bestPartner = (i: number): number => {
    let best = -1;
    for (let j = 0; j < n; j++) {
      if (j !== i && members[j] && (best < 0 || sim[i * n + j]! > sim[i * n + best]!)) best = j;
    }
    return best;
  };
  for (let i = 0; i < n; i++) partner[i] = bestPartner(i);

  for (;;) {
    let a = -1;
    for (let i = 0; i < n; i++) {
      if (members[i] && partner[i]! >= 0 && (a < 0 || sim[i * n + partner[i]!]! > sim[a * n + partner[a]!]!)) a = i;
    }
    if (a < 0 || sim[a * n + partner[a]!]! < minSimilarity) break;
    const b = partner[a]!;
    const [keep, gone] = a < b ? [a, b] : [b, a];
    const sizeKeep = members[keep]!.length;
    const sizeGone = members[gone]!.length;
    // Lance–Williams update for average linkage: the merged cluster's mean similarity to each other.
    for (let k = 0; k < n; k++) {
      if (!members[k] || k === keep || k === gone) continue;
      const merged = (sizeKeep * sim[keep * n + k]! + sizeGone * sim[gone * n + k]!) / (sizeKeep + sizeGone);
      sim[keep * n + k] = sim[k * n + keep] = merged;
    }
    members[keep] = [...members[keep]!, ...members[gone]!].sort((x, y) => x - y);
    members[gone] = undefined;
    partner[gone] = -1;
    for (let k = 0; k < n; k++) {
      if (!members[k]) continue;
      if (k === keep || partner[k] === keep || partner[k] === gone) partner[k] = bestPartner(k);
      else if (sim[k * n + keep]! > sim[k * n + partner[k]!]! || (sim[k * n + keep] === sim[k * n + partner[k]!] && keep < partner[k]!))
        partner[k] = keep;
    }
  }
  return members.filter((cluster): cluster is number[] => cluster !== undefined);
}
