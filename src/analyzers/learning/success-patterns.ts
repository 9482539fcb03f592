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
  const successes = members.filter((m) => m.successful);
  if (!successes.length) return null;
  const answers = successes.map((m) => m.response!.trim());
  const vectors = tfIdfVectors(answers.map((a) => terms(a).map((t) => t.stem)));
  // Rounded so that equal answers tie exactly whatever order their sums were added in.
  const centrality = vectors.map((v, i) => Math.round(vectors.reduce((sum, w, j) => (i === j ? sum : sum + cosine(v, w)), 0) * 1e9));
  const order = successes.map((_, i) => i).sort(
    (a, b) =>
      centrality[b]! - centrality[a]! ||
      (successes[b]!.sentiment ?? 0) - (successes[a]!.sentiment ?? 0) ||
      (answers[a]! < answers[b]! ? -1 : answers[a]! > answers[b]! ? 1 : 0),
  );
  const best = answers[order[0]!]!;
  const same = successes.filter((_, i) => normalize(answers[i]!) === normalize(best));
  return {
    answer: best,
    question: mostFrequent(same.map((m) => m.message), 1)[0] ?? same[0]!.message.trim(),
    support: successes.length,
    sameAnswer: same.length,
  };
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
