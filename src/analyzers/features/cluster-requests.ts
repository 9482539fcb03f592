import { requestValue, type BusinessValueOptions, type RequestMetadata } from './business-value.ts';
import { lineStems, lineTerms, requestTerms } from './synonyms.ts';
import { clusterThemes } from './theme-clustering.ts';
import { themeLabel } from './theme-label.ts';
import { themeKey } from './theme-key.ts';
import { cosine, tfIdfVectors, type SparseVector, type Term } from './text-vectors.ts';

/**
 * Feature requests grouped into themes: identical requests folded into one weighted text, TF-IDF
 * vectors over words with synonyms folded (synonyms.ts), cosine similarity over the pairs that
 * share a term, weighted average-linkage clustering cut at `minSimilarity` (so the data decides how
 * many themes there are; any lines go through nearest-neighbour communities instead, see
 * theme-clustering.ts), each theme labeled by its distinctive words and ranked by frequency ×
 * business value. Work grows with the number of distinct texts, not of messages.
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
   * For any lines (`vocabulary: 'lines'`) the themes are graph communities instead, and this is only the
   * similarity a neighbour needs to be blended in and a text needs to join a theme in the k-means rounds.
   */
  minSimilarity?: number;
  /**
   * `requests` (default) drops the words every request uses ("please add support for"); `lines`
   * keeps all but articles, pronouns and auxiliaries, for clustering any short texts.
   */
  vocabulary?: 'requests' | 'lines';
  /** Most words in each label (default 3). */
  labelTerms?: number;
  /** Quotes per theme (default 3). */
  examples?: number;
}

export interface FeatureTheme {
  /** Short SHA-1 of the label's sorted stems (theme-key.ts): the same theme next week keeps its id. */
  id: string;
  /** Distinctive words in the order customers write them ("bulk", "edit"); never empty. */
  label: string[];
  count: number;
  /** Sum of the messages' values (business-value.ts); the ranking key. */
  score: number;
  /** Distinct requests nearest the theme's centroid, most typical first. */
  examples: string[];
  /** Indices of the input messages in this theme. */
  members: number[];
}

export interface RequestThemes {
  themes: FeatureTheme[];
  /** Distinct request texts (by their terms) that were clustered. */
  distinctTexts: number;
  /** Similarities computed: at most distinct² / 2, whatever the number of messages. */
  comparisons: number;
}

/** Themes, highest score first. Messages with no content words ("please add this!") join none. */
export function clusterRequests(
  messages: readonly (string | FeatureRequestMessage)[],
  options: ClusterRequestsOptions = {},
): FeatureTheme[] {
  return requestThemes(messages, options).themes;
}

interface DistinctText {
  /** The wording used most for these terms. */
  text: string;
  terms: Term[];
  /** Input indices of the messages with these terms. */
  messages: number[];
}

export function requestThemes(messages: readonly (string | FeatureRequestMessage)[], options: ClusterRequestsOptions = {}): RequestThemes {
  const requests = messages.map((message) => (typeof message === 'string' ? { text: message } : message));
  const termsOf = options.vocabulary === 'lines' ? lineTerms : requestTerms;
  const distinct = distinctTexts(
    requests.map((request) => request.text),
    termsOf,
  );
  const weights = distinct.map((d) => d.messages.length);
  const stems = distinct.map((d) => d.terms.map((term) => term.stem));
  const lines = options.vocabulary === 'lines';
  // Requests: a few dozen to a few thousand texts named by a lexicon of synonyms, where blending and
  // k-means pull one-offs ("offline mode") into big themes ("dark mode"); any lines: all of it.
  // Any lines are grouped by their nearest-neighbour graph, on all their words (the stop words tell
  // "when" from "how" questions); requests keep average linkage, whose cut the lexicon was tuned with.
  const { clusters, comparisons } = clusterThemes(lines ? distinct.map((d) => lineStems(d.text)) : stems, weights, {
    minSimilarity: options.minSimilarity ?? 0.15,
    subwords: lines,
    neighbours: lines ? 5 : 0,
    refineRounds: lines ? 10 : 0,
    grouping: lines ? 'communities' : 'linkage',
  });
  // Word-only vectors for labels and quotes; the clustering's features include pairs and 4-grams.
  const vectors = tfIdfVectors(stems, weights);
  const corpus = weightedMean(vectors, weights);
  const total = weights.reduce((sum, w) => sum + w, 0);

  const themes = clusters.map((cluster): FeatureTheme => {
    const members = cluster.flatMap((k) => distinct[k]!.messages).sort((x, y) => x - y);
    const clusterWeights = cluster.map((k) => weights[k]!);
    const centroid = weightedMean(
      cluster.map((k) => vectors[k]!),
      clusterWeights,
    );
    const inside = clusterWeights.reduce((sum, w) => sum + w, 0);
    const label = themeLabel({
      centroid,
      corpus,
      share: inside / total,
      documents: cluster.map((k) => ({ terms: distinct[k]!.terms, weight: weights[k]! })),
      maxWords: options.labelTerms ?? 3,
    });
    const typical = [...cluster].sort(
      (x, y) => cosine(vectors[y]!, centroid) - cosine(vectors[x]!, centroid) || weights[y]! - weights[x]! || x - y,
    );
    return {
      id: themeKey(label),
      label,
      count: members.length,
      score: members.reduce((sum, index) => sum + requestValue(requests[index]!.metadata, options), 0),
      examples: typical.slice(0, options.examples ?? 3).map((k) => distinct[k]!.text),
      members,
    };
  });
  // Ties break on the id, not on input position, so shuffled input ranks the same.
  themes.sort((a, b) => b.score - a.score || b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : a.members[0]! - b.members[0]!));
  return { themes, distinctTexts: distinct.length, comparisons };
}

/**
 * Messages grouped by their terms, in the order of those terms, so the same messages in any order
 * give the same items in the same order. Two texts with the same terms have the same vector; the
 * words of the wording used most (quote) stand for the group.
 */
function distinctTexts(texts: readonly string[], termsOf: (text: string) => Term[]): DistinctText[] {
  const byKey = new Map<string, number[]>();
  texts.forEach((text, index) => {
    const key = termsOf(text)
      .map((term) => term.stem)
      .sort()
      .join(' ');
    if (key === '') return;
    const found = byKey.get(key);
    if (found) found.push(index);
    else byKey.set(key, [index]);
  });
  return [...byKey]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, messages]) => {
      const text = quote(messages.map((m) => texts[m]!));
      return { text, terms: termsOf(text), messages };
    });
}

/** The wording customers used most among messages with the same terms (ties: alphabetical). */
function quote(texts: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text.trim(), (counts.get(text.trim()) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

function weightedMean(vectors: readonly SparseVector[], weights: readonly number[]): SparseVector {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const mean: SparseVector = new Map();
  vectors.forEach((vector, i) => {
    for (const [s, weight] of vector) mean.set(s, (mean.get(s) ?? 0) + (weight * weights[i]!) / total);
  });
  return mean;
}
