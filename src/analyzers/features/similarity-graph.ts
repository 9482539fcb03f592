import type { SparseVector } from './text-vectors.ts';

export interface SimilarityGraph {
  /** Pairs i < j whose cosine similarity is above zero. */
  pairs: [i: number, j: number, similarity: number][];
  /** Pairs whose similarity was computed: only pairs that share a term, never all n² of them. */
  comparisons: number;
}

/**
 * Cosine similarities of L2-normalized sparse vectors, through an inverted index: a pair is only
 * visited when the two vectors share a term, and each shared term adds its product to the dot.
 * Pairs below `floor` are dropped (0 keeps every pair that shares a term).
 */
export function similarityGraph(vectors: readonly SparseVector[], floor = 0): SimilarityGraph {
  const postings = new Map<string, [document: number, weight: number][]>();
  vectors.forEach((vector, document) => {
    for (const [term, weight] of vector) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push([document, weight]);
    }
  });
  const pairs: SimilarityGraph['pairs'] = [];
  let comparisons = 0;
  const dot = new Float64Array(vectors.length);
  const touched: number[] = [];
  for (let i = 0; i < vectors.length; i++) {
    for (const [term, weight] of vectors[i]!) {
      for (const [j, other] of postings.get(term)!) {
        if (j <= i) continue;
        if (dot[j] === 0) touched.push(j);
        dot[j] = dot[j]! + weight * other;
      }
    }
    touched.sort((x, y) => x - y);
    for (const j of touched) {
      comparisons += 1;
      if (dot[j]! > floor) pairs.push([i, j, dot[j]!]);
      dot[j] = 0;
    }
    touched.length = 0;
  }
  return { pairs, comparisons };
}
