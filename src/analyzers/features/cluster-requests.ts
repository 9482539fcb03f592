import { shortSha1 } from '../short-hash.ts';
import { averageLinkageClusters } from './agglomerative.ts';
import { requestValue, type BusinessValueOptions, type RequestMetadata } from './business-value.ts';
import { cosine, terms, tfIdfVectors, type SparseVector } from './text-vectors.ts';

/**
 * Feature requests grouped into themes: TF-IDF vectors, cosine similarity, average-linkage
 * clustering cut at `minSimilarity` (so the data decides how many themes there are), each theme
 * labeled by its most distinctive terms and ranked by frequency × business value.
 */

export interface FeatureRequestMessage {
  text: string;
  metadata?: RequestMetadata;
}

export interface ClusterRequestsOptions extends BusinessValueOptions {
  /**
   * Mean pairwise cosine similarity two themes need to merge (default 0.15). Tuned on one- and
   * two-sentence requests: 0.15 joins "dark mode" with "a dark colour scheme" and keeps "offline
   * mode" apart; 0.1 lets the shared "mode" merge them, 0.2 splits "SAML single sign-on" from "SSO".
   */
  minSimilarity?: number;
  /** Terms in each label (default 3). */
  labelTerms?: number;
  /** Quotes per theme (default 3). */
  examples?: number;
}

export interface FeatureTheme {
  /** Short SHA-1 of the label's stems: the same theme next week keeps its id if its label holds. */
  id: string;
  label: string[];
  count: number;
  /** Sum of the messages' values (business-value.ts); the ranking key. */
  score: number;
  /** The messages nearest the theme's centroid, most typical first. */
  examples: string[];
  /** Indices of the input messages in this theme. */
  members: number[];
}

/** Themes, highest score first. Messages with no content words ("please add this!") join none. */
export function clusterRequests(
  messages: readonly (string | FeatureRequestMessage)[],
  options: ClusterRequestsOptions = {},
): FeatureTheme[] {
  const requests = messages.map((message) => (typeof message === 'string' ? { text: message } : message));
  const tokenized = requests.map((request) => terms(request.text));
  const kept = tokenized.flatMap((words, index) => (words.length > 0 ? [index] : []));
  const vectors = tfIdfVectors(kept.map((index) => tokenized[index]!.map((term) => term.stem)));
  const clusters = averageLinkageClusters(kept.length, (i, j) => cosine(vectors[i]!, vectors[j]!), options.minSimilarity ?? 0.15);
  const corpusMean = meanVector(vectors);

  const themes = clusters.map((cluster): FeatureTheme => {
    const members = cluster.map((k) => kept[k]!);
    const label = distinctiveStems(
      cluster.map((k) => vectors[k]!),
      corpusMean,
      options.labelTerms ?? 3,
    );
    const centroid = meanVector(cluster.map((k) => vectors[k]!));
    const typical = [...cluster].sort((x, y) => cosine(vectors[y]!, centroid) - cosine(vectors[x]!, centroid) || x - y);
    return {
      id: shortSha1(label.join(' ')),
      label: label.map((s) =>
        mostCommonWord(
          s,
          members.map((index) => tokenized[index]!),
        ),
      ),
      count: members.length,
      score: members.reduce((sum, index) => sum + requestValue(requests[index]!.metadata, options), 0),
      examples: typical.slice(0, options.examples ?? 3).map((k) => requests[kept[k]!]!.text.trim()),
      members,
    };
  });
  // Ties break on the id, not on input position, so shuffled input ranks the same.
  return themes.sort(
    (a, b) => b.score - a.score || b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.members[0]! - b.members[0]!),
  );
}

/** Stems whose mean weight in the theme most exceeds their mean weight in the whole corpus. */
function distinctiveStems(vectors: SparseVector[], corpusMean: SparseVector, count: number): string[] {
  const themeMean = meanVector(vectors);
  return [...themeMean]
    .map(([s, weight]) => [s, weight - (corpusMean.get(s) ?? 0)] as const)
    .filter(([, lift]) => lift > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([s]) => s);
}

function meanVector(vectors: readonly SparseVector[]): SparseVector {
  const mean: SparseVector = new Map();
  for (const vector of vectors) {
    for (const [s, weight] of vector) mean.set(s, (mean.get(s) ?? 0) + weight / vectors.length);
  }
  return mean;
}

/** The spelling customers used most for a stem, so a label reads "theme", not the stem "them". */
function mostCommonWord(s: string, documents: readonly { stem: string; word: string }[][]): string {
  const counts = new Map<string, number>();
  for (const document of documents) {
    for (const term of document) if (term.stem === s) counts.set(term.word, (counts.get(term.word) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? s;
}
