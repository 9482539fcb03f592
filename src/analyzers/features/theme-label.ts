import type { SparseVector, Term } from './text-vectors.ts';

export interface LabelInput {
  /** Mean TF-IDF vector of the theme's messages. */
  centroid: SparseVector;
  /** Mean TF-IDF vector of all messages clustered. */
  corpus: SparseVector;
  /** The theme's share of those messages (0 < share ≤ 1). */
  share: number;
  /** The theme's distinct texts, each with how many messages carried it. */
  documents: readonly { terms: readonly Term[]; weight: number }[];
  maxWords: number;
}

/**
 * A theme's name: the stems whose weight in the theme most exceeds their weight in the other
 * messages, kept while they carry at least a third of the top one's lift (so a theme reads "bulk
 * edit", not "bulk edit hours"), in the order customers write them, each spelled as customers spell
 * it most. When the theme is every message there is nothing outside to compare with, and the
 * heaviest stems name it. Never empty: each text clustered has at least one term.
 */
export function themeLabel(input: LabelInput): string[] {
  const { centroid, corpus, share } = input;
  const lift = [...centroid]
    .map(([s, weight]) => {
      const outside = share < 1 ? Math.max(0, ((corpus.get(s) ?? 0) - share * weight) / (1 - share)) : 0;
      return [s, weight - outside] as const;
    })
    .filter(([, l]) => l > 1e-12)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const ranked = lift.length > 0 ? lift : [...centroid].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = ranked[0]?.[1] ?? 0;
  const chosen = ranked
    .filter(([, l], i) => i === 0 || l >= top / 3)
    .slice(0, Math.max(1, input.maxWords))
    .map(([s]) => s);
  const position = meanPositions(input.documents);
  return chosen.sort((a, b) => position.get(a)! - position.get(b)! || (a < b ? -1 : 1)).map((s) => mostCommonWord(s, input.documents));
}

/** Where in a text each stem tends to come (0 = first word, 1 = last), weighted by message counts. */
function meanPositions(documents: LabelInput['documents']): Map<string, number> {
  const sums = new Map<string, [total: number, weight: number]>();
  for (const { terms, weight } of documents) {
    terms.forEach((term, i) => {
      const at = terms.length > 1 ? i / (terms.length - 1) : 0;
      const sum = sums.get(term.stem) ?? [0, 0];
      sums.set(term.stem, [sum[0] + at * weight, sum[1] + weight]);
    });
  }
  return new Map([...sums].map(([s, [total, weight]]) => [s, total / weight]));
}

/** The spelling customers used most for a stem, so a label reads "theme", not the stem "them". */
function mostCommonWord(s: string, documents: LabelInput['documents']): string {
  const counts = new Map<string, number>();
  for (const { terms, weight } of documents) {
    for (const term of terms) if (term.stem === s) counts.set(term.word, (counts.get(term.word) ?? 0) + weight);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? s;
}
