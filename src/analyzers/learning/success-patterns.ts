import { cosine, terms, tfIdfVectors } from '../features/text-vectors.ts';
import { mostFrequent, type AnnotatedInteraction } from './topic-stats.ts';

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
 * higher sentiment, then to the alphabetically first text: row order never decides.
 */
export function bestAnswer(members: readonly AnnotatedInteraction[]): BestAnswer | null {
  const all = members.filter((m) => m.successful);
  if (!all.length) return null;
  const successes = candidates(all);
  const answers = successes.map((m) => m.response!.trim());
  const vectors = tfIdfVectors(answers.map((a) => terms(a).map((t) => t.stem)));
  // Rounded so that equal answers tie exactly whatever order their sums were added in.
  const centrality = vectors.map((v, i) => Math.round(vectors.reduce((sum, w, j) => (i === j ? sum : sum + cosine(v, w)), 0) * 1e9));
  const order = successes
    .map((_, i) => i)
    .sort(
      (a, b) =>
        centrality[b]! - centrality[a]! ||
        (successes[b]!.sentiment ?? 0) - (successes[a]!.sentiment ?? 0) ||
        (answers[a]! < answers[b]! ? -1 : answers[a]! > answers[b]! ? 1 : 0),
    );
  const best = answers[order[0]!]!;
  const bestKey = normalize(best);
  const same = all.filter((m) => normalize(m.response!) === bestKey);
  return {
    answer: best,
    question:
      mostFrequent(
        same.map((m) => m.message),
        1,
      )[0] ?? same[0]!.message.trim(),
    support: all.length,
    sameAnswer: same.length,
  };
}

/**
 * The medoid costs n² cosines, so a topic with thousands of successes is judged on
 * MAX_CANDIDATES of them, spread evenly over the answers in text order (an answer given often
 * keeps its share), so row order never decides.
 */
const MAX_CANDIDATES = 200;

function candidates(successes: AnnotatedInteraction[]): AnnotatedInteraction[] {
  if (successes.length <= MAX_CANDIDATES) return successes;
  const keyed = successes.map((m) => ({ m, key: normalize(m.response!) }));
  keyed.sort((a, b) => compare(a.key, b.key) || compare(a.m.message, b.m.message));
  return Array.from({ length: MAX_CANDIDATES }, (_, k) => keyed[Math.floor((k * keyed.length) / MAX_CANDIDATES)]!.m);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
