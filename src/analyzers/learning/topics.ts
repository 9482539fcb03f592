import { averageLinkageClusters } from '../features/agglomerative.ts';
import { cosine, terms, tfIdfVectors, type SparseVector, type Term } from '../features/text-vectors.ts';
import { themeKey, stableStems } from '../features/theme-key.ts';
import { representativePhrase } from '../features/theme-phrase.ts';
import { createTopicLabeler } from './topic-label.ts';

/**
 * What customers ask about. Each conversation (question and answer together: answers are worded
 * more uniformly than questions, so "talk to a human" and "speak to a real person" meet in the
 * answer that hands them over) becomes a TF-IDF vector over the whole window. Average-linkage
 * clustering, whose memory is n², runs on a sample of at most `sampleSize` conversations chosen by
 * the caller; every conversation of the window is then assigned to the nearest topic centroid, so
 * a topic's counts are exact, not estimated from the sample. The input is the window's distinct
 * conversations, each with how many rows said it and how many of those the sample holds: the work
 * grows with distinct conversations, and the answer is the one the rows one by one would give. Deterministic: the same conversations
 * give the same topics, and a topic's id depends on its label alone.
 */

export interface Topic {
  /** themeKey of the label: short SHA-1 of the sorted label stems. */
  id: string;
  /** Distinctive question terms, most distinctive first, as customers spelled them. */
  label: string[];
  /** The label's words, sorted and joined by '-': a readable stable name ("annual-refund"). */
  slug: string;
  /** What a person calls it: the phrase its questions use most ("talk to a human"); never empty. */
  phrase: string;
  /** Indices of the input conversations in this topic. */
  members: number[];
}

export interface Conversation {
  message: string;
  response: string | null;
}

/** A distinct conversation of the window: how many rows said it, how many the sample holds and where the first sampled one stood. */
export interface CountedConversation extends Conversation {
  count: number;
  sampled: number;
  /** Input position of its first sampled row; any value when none is sampled. */
  firstSampled: number;
}

/**
 * Mean pairwise cosine two clusters need to merge, and a conversation needs with a topic's centroid
 * to join it: the features' tuned cut (cluster-requests.ts), which suits short texts.
 */
const MIN_SIMILARITY = 0.15;

export function assignTopics(conversations: readonly CountedConversation[]): Topic[] {
  // A conversation's terms are its question's then its answer's (no term spans the space between),
  // so each distinct question and answer is tokenized once. Conversations with the same terms in the
  // same order (order numbers and amounts aside) are one document: one vector, equal to each of
  // theirs to the last bit, weighted by how many conversations said them, which keeps document
  // frequencies what they were per row.
  const questionTerms = new Map<string, Term[]>();
  const termsOfQuestion = (message: string) => {
    let found = questionTerms.get(message);
    if (!found) questionTerms.set(message, (found = terms(message)));
    return found;
  };
  const questionStems = new Map<string, string[]>();
  const answerStems = new Map<string | null, string[]>();
  const stemsOf = <K>(cache: Map<K, string[]>, key: K, found: () => Term[]) => {
    let stems = cache.get(key);
    if (!stems) cache.set(key, (stems = found().map((t) => t.stem)));
    return stems;
  };
  const ids = new Map<string, number>();
  const documents: string[][] = [];
  const weights: number[] = [];
  const idOf = conversations.map((c) => {
    const stems = [
      ...stemsOf(questionStems, c.message, () => termsOfQuestion(c.message)),
      ...stemsOf(answerStems, c.response, () => terms(c.response ?? '')),
    ];
    const key = stems.join(' ');
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = documents.length));
      documents.push(stems);
      weights.push(0);
    }
    weights[id]! += c.count;
    return id;
  });
  const vectors = tfIdfVectors(documents, weights);
  // Conversations with the same terms in any order have the same vector up to rounding: one of them
  // is clustered, standing for all, which keeps the n² clustering small where customers repeat
  // themselves; the centroid still weighs each by how often the sample said it. Visited in the order
  // of their first sampled row, as the rows one by one would be.
  const copies = new Map<string, { id: number; count: number }>();
  const sampled = conversations.map((_, i) => i).filter((i) => conversations[i]!.sampled > 0);
  sampled.sort((a, b) => conversations[a]!.firstSampled - conversations[b]!.firstSampled);
  for (const index of sampled) {
    const id = idOf[index]!;
    if (vectors[id]!.size === 0) continue;
    const key = [...documents[id]!].sort().join(' ');
    const seen = copies.get(key);
    if (seen) seen.count += conversations[index]!.sampled;
    else copies.set(key, { id, count: conversations[index]!.sampled });
  }
  const clustered = [...copies.values()];
  const clusters = averageLinkageClusters(
    clustered.length,
    (a, b) => cosine(vectors[clustered[a]!.id]!, vectors[clustered[b]!.id]!),
    MIN_SIMILARITY,
  );
  const centroids = clusters.map((cluster) => weightedMean(cluster.map((k) => [vectors[clustered[k]!.id]!, clustered[k]!.count] as const)));

  const nearest = vectors.map((vector) => {
    let best = -1;
    let bestSimilarity = MIN_SIMILARITY;
    centroids.forEach((centroid, c) => {
      const similarity = cosine(vector, centroid);
      if (similarity >= bestSimilarity && (best < 0 || similarity > bestSimilarity)) [best, bestSimilarity] = [c, similarity];
    });
    return best;
  });
  const members: number[][] = clusters.map(() => []);
  idOf.forEach((id, index) => {
    if (nearest[id]! >= 0) members[nearest[id]!]!.push(index);
  });

  const labeler = createTopicLabeler(
    conversations.map((c) => c.message),
    conversations.map((c) => c.count),
    termsOfQuestion,
  );
  return members
    .filter((indices) => indices.length > 0)
    .map((indices) => {
      const label = labeler.label(indices);
      const phrase = representativePhrase(
        indices.map((i) => ({ text: conversations[i]!.message, weight: conversations[i]!.count })),
        label.join(' '),
      );
      return { id: themeKey(label), label, slug: slugOf(label), phrase, members: indices };
    });
}

function weightedMean(vectors: readonly (readonly [SparseVector, number])[]): SparseVector {
  const total = vectors.reduce((sum, [, count]) => sum + count, 0);
  const mean: SparseVector = new Map();
  for (const [vector, count] of vectors) {
    for (const [s, weight] of vector) mean.set(s, (mean.get(s) ?? 0) + (weight * count) / total);
  }
  return mean;
}

function slugOf(label: readonly string[]): string {
  const stems = stableStems(label);
  // Name the slug by the words customers used, in the order of their sorted stems.
  const words = stems.map((s) => label.find((word) => stableStems([word])[0] === s) ?? s);
  return (
    words
      .map((word) => word.replace(/[^a-z0-9]+/g, ''))
      .filter(Boolean)
      .join('-') || 'misc'
  );
}
