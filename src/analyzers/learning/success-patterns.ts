import { cosine, terms, tfIdfVectors } from '../features/text-vectors.ts';
import type { AnswerCandidate } from '../../ports/warehouse.ts';
import type { AnnotatedFacet } from './topic-facets.ts';
import { mostFrequentCounted } from './topic-stats.ts';

/** The answer that worked for a topic, to keep in the knowledge base. */
export interface BestAnswer {
  answer: string;
  /** The question most often asked in the conversations this answer ended well. */
  question: string;
  /** Successful conversations in the topic (the answer's support). */
  support: number;
  /** Of those, how many gave this very answer (case and spacing aside). */
  sameAnswer: number;
}

/**
 * The most typical successful answer: the medoid of the successful answers by TF-IDF cosine, so an
 * answer given many times, or phrased like most of the others, wins over a one-off. Ties go to the
 * higher sentiment, then to the alphabetically first text: row order never decides. The medoid
 * costs n² cosines, so a topic with more than MAX_CANDIDATES successes is judged on that many of
 * them (answerCandidates); `successes` are the topic's successful facets, which count the support.
 */
export function bestAnswer(candidates: readonly Omit<AnswerCandidate, 'topic'>[], successes: readonly AnnotatedFacet[]): BestAnswer | null {
  const support = successes.reduce((sum, f) => sum + f.count, 0);
  if (!support || !candidates.length) return null;
  const answers = candidates.map((c) => c.response.trim());
  const vectors = tfIdfVectors(answers.map((a) => terms(a).map((t) => t.stem)));
  // Rounded so that equal answers tie exactly whatever order their sums were added in.
  const centrality = vectors.map((v, i) => Math.round(vectors.reduce((sum, w, j) => (i === j ? sum : sum + cosine(v, w)), 0) * 1e9));
  const order = candidates
    .map((_, i) => i)
    .sort(
      (a, b) =>
        centrality[b]! - centrality[a]! ||
        (candidates[b]!.sentiment ?? 0) - (candidates[a]!.sentiment ?? 0) ||
        (answers[a]! < answers[b]! ? -1 : answers[a]! > answers[b]! ? 1 : 0),
    );
  const best = answers[order[0]!]!;
  const bestKey = normalizeAnswer(best);
  const same = successes.filter((f) => normalizeAnswer(f.response!) === bestKey);
  return {
    answer: best,
    // A question of blanks only has no most frequent wording: it reads as blank.
    question:
      mostFrequentCounted(
        same.map((f) => [f.message, f.count] as const),
        1,
      )[0] ?? '',
    support,
    sameAnswer: same.reduce((sum, f) => sum + f.count, 0),
  };
}

/** Successes a topic's best answer is judged on: all of them up to this many. */
export const MAX_CANDIDATES = 200;

/**
 * The candidates of a topic with more successes than `max`: its successful rows sorted by
 * (normalized answer, question), rows of one pair in input order, then `max` of them evenly spaced
 * (an answer given often keeps its share), so row order never decides. `sorted` is that order.
 */
export function spacedCandidates<T>(sorted: readonly T[], max: number): T[] {
  if (sorted.length <= max) return [...sorted];
  return Array.from({ length: max }, (_, k) => sorted[Math.floor((k * sorted.length) / max)]!);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Case and spacing aside: two answers that differ only there are the same answer. */
export function normalizeAnswer(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
