import { nearestNeighbourGraph } from './nearest-neighbour-graph.ts';
import { pottsCommunities } from './potts-communities.ts';
import { similarityGraph } from './similarity-graph.ts';
import { sparseAverageLinkage } from './sparse-average-linkage.ts';
import { cosine, tfIdfVectors, type SparseVector } from './text-vectors.ts';

/**
 * The clustering behind feature themes and `cluster-requests --all`, for short texts whose number
 * of themes nobody knows in advance. Input is distinct texts (as stems) with how many messages
 * carried each, so the cost follows the distinct texts.
 *
 * 1. Features: the stems, adjacent stem pairs ("change_oil" is not "oil_change") and character
 *    4-grams of each stem (so "reservation" and "reserve" share something), as TF-IDF.
 * 2. Each vector is blended with its `neighbours` most similar texts at least `minSimilarity`
 *    similar, each by its similarity: short texts share few words, and a text's close neighbours
 *    say which of its words carry its topic; a text with none stays itself.
 * 3. Grouping, where the data decides how many themes there are: either weighted average linkage
 *    cut at `minSimilarity`, or (`grouping: 'communities'`) the communities of the graph of each
 *    text's `graphNeighbours` nearest texts at least `minSimilarity` similar (a text like no other
 *    stays alone, however few texts there are) under the constant Potts model (potts-communities.ts),
 *    which keeps apart two themes that share words but whose texts are each other's nearest
 *    (checking a credit score and improving it).
 * 4. A few rounds of spherical k-means from those themes: the themes of at least `minThemeSize`
 *    messages keep a centroid, every text moves to its nearest centroid when that is at least
 *    `minSimilarity` similar, and stays a theme of its own otherwise. Average linkage leaves
 *    fragments and strays at its edges; this gathers them.
 */

export interface ThemeClusteringOptions {
  /** Mean similarity two themes need to merge, and a text needs to join a theme (default 0.25). */
  minSimilarity?: number;
  /** Nearest texts blended into each (default 5). */
  neighbours?: number;
  /** Messages a theme needs to keep a centroid in the k-means rounds (default √messages / 4, at least 3). */
  minThemeSize?: number;
  /**
   * Add the stem pairs and character 4-grams (default true). Off for feature requests: in a few dozen requests
   * the shared ending "-tion" is enough to tie "Zapier integration" to "keyboard navigation", and
   * the synonym lexicon does the joining there.
   */
  subwords?: boolean;
  /** Rounds of k-means after the grouping (default 10; 0 keeps the grouping's themes). */
  refineRounds?: number;
  /** `linkage` (default): average linkage cut at `minSimilarity`; `communities`: see step 3. */
  grouping?: 'linkage' | 'communities';
  /** Nearest texts each text links to in the community graph (default 13). */
  graphNeighbours?: number;
  /** Link density a community needs to hold together (default 0.04). */
  resolution?: number;
}

export interface ThemeClustering {
  /** Indices of the distinct texts in each theme. */
  clusters: number[][];
  /** Similarities computed (pairs sharing a feature, twice: before and after blending). */
  comparisons: number;
}

export function clusterThemes(
  documents: readonly (readonly string[])[],
  weights: readonly number[],
  options: ThemeClusteringOptions = {},
): ThemeClustering {
  const minSimilarity = options.minSimilarity ?? 0.25;
  const total = weights.reduce((sum, w) => sum + w, 0);
  const minThemeSize = options.minThemeSize ?? Math.max(3, Math.round(Math.sqrt(total) / 4));
  const subwords = options.subwords ?? true;
  const raw = tfIdfVectors(
    documents.map((d) => features(d, subwords)),
    weights,
  );
  const first = similarityGraph(raw);
  const k = options.neighbours ?? 5;
  const vectors = k > 0 ? blendNeighbours(raw, first.pairs, k, minSimilarity) : raw;
  const graph = k > 0 ? similarityGraph(vectors) : first;
  const linked =
    options.grouping === 'communities'
      ? communities(
          vectors.length,
          nearestNeighbourGraph(
            vectors.length,
            graph.pairs.filter((pair) => pair[2] >= minSimilarity),
            options.graphNeighbours ?? 13,
          ),
          options.resolution ?? 0.04,
        )
      : sparseAverageLinkage({ weights, pairs: graph.pairs }, minSimilarity);
  const clusters = refine(vectors, weights, linked, minThemeSize, minSimilarity, options.refineRounds ?? 10);
  return { clusters, comparisons: first.comparisons + (graph === first ? 0 : graph.comparisons) };
}

export function features(stems: readonly string[], subwords = true): string[] {
  const out = [...stems];
  if (!subwords) return out;
  for (let i = 0; i + 1 < stems.length; i++) out.push(`${stems[i]}_${stems[i + 1]}`);
  for (const s of stems) {
    const padded = `<${s}>`;
    for (let i = 0; i + 4 <= padded.length; i++) out.push(`#${padded.slice(i, i + 4)}`);
  }
  return out;
}

// Distinct texts are the nodes, one each: how many messages carried a text says how big its theme
// is, not how tightly its wordings hang together.
function communities(n: number, edges: [number, number, number][], resolution: number): number[][] {
  const membership = pottsCommunities(n, edges, resolution);
  const byCommunity = new Map<number, number[]>();
  membership.forEach((c, i) => {
    const members = byCommunity.get(c);
    if (members) members.push(i);
    else byCommunity.set(c, [i]);
  });
  return [...byCommunity.values()];
}

function blendNeighbours(
  vectors: readonly SparseVector[],
  pairs: readonly (readonly [number, number, number])[],
  k: number,
  floor: number,
): SparseVector[] {
  const near: [number, number][][] = vectors.map(() => []);
  for (const [i, j, s] of pairs) {
    if (s < floor) continue;
    near[i]!.push([j, s]);
    near[j]!.push([i, s]);
  }
  return vectors.map((vector, i) => {
    const top = near[i]!.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
    const blended: SparseVector = new Map(vector);
    // Each neighbour counts by its similarity: a text with no close neighbour stays nearly itself.
    for (const [j, w] of top) for (const [f, x] of vectors[j]!) blended.set(f, (blended.get(f) ?? 0) + (w * x) / top.length);
    return normalized(blended);
  });
}

function refine(
  vectors: readonly SparseVector[],
  weights: readonly number[],
  clusters: number[][],
  minSize: number,
  minSimilarity: number,
  rounds: number,
): number[][] {
  let assignment = new Array<number>(vectors.length);
  clusters.forEach((cluster, c) => cluster.forEach((i) => (assignment[i] = c)));
  for (let round = 0; round < rounds; round++) {
    const sums = new Map<number, { weight: number; centroid: SparseVector }>();
    assignment.forEach((c, i) => {
      const sum = sums.get(c) ?? { weight: 0, centroid: new Map() };
      sum.weight += weights[i]!;
      for (const [f, x] of vectors[i]!) sum.centroid.set(f, (sum.centroid.get(f) ?? 0) + x * weights[i]!);
      sums.set(c, sum);
    });
    const centroids = [...sums].filter(([, s]) => s.weight >= minSize).map(([c, s]) => [c, normalized(s.centroid)] as const);
    const next = vectors.map((vector, i) => {
      let best = -1;
      let bestSimilarity = minSimilarity;
      for (const [c, centroid] of centroids) {
        const s = cosine(vector, centroid);
        if (s > bestSimilarity || (s === bestSimilarity && best >= 0 && c < best)) [best, bestSimilarity] = [c, s];
      }
      // No theme near enough: the text stays where average linkage put it.
      return best >= 0 ? best : assignment[i]!;
    });
    const settled = next.every((c, i) => c === assignment[i]);
    assignment = next;
    if (settled) break;
  }
  const byCluster = new Map<number, number[]>();
  assignment.forEach((c, i) => {
    const members = byCluster.get(c);
    if (members) members.push(i);
    else byCluster.set(c, [i]);
  });
  return [...byCluster.values()].sort((a, b) => a[0]! - b[0]!);
}

function normalized(vector: SparseVector): SparseVector {
  let norm = 0;
  for (const x of vector.values()) norm += x * x;
  norm = Math.sqrt(norm);
  for (const [f, x] of vector) vector.set(f, x / norm);
  return vector;
}
