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
  // Answers repeat: each distinct one is normalized once.
  const normalized = new Map<string, string>();
  const keyOf = (response: string) => {
    let key = normalized.get(response);
    if (key === undefined) normalized.set(response, (key = normalize(response)));
    return key;
  };
  const successes = candidates(all, keyOf);
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
  const same = all.filter((m) => keyOf(m.response!) === bestKey);
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

function candidates(successes: AnnotatedInteraction[], keyOf: (response: string) => string): AnnotatedInteraction[] {
  if (successes.length <= MAX_CANDIDATES) return successes;
  // Sorting the distinct (answer, question) pairs, each with its rows in input order, gives the
  // stable sort of every row by the same keys, at the cost of the pairs.
  const pairs = new Map<string, { key: string; message: string; rows: AnnotatedInteraction[] }>();
  for (const m of successes) {
    const key = keyOf(m.response!);
    const id = `${key}\u0000${m.message}`;
    const pair = pairs.get(id);
    if (pair) pair.rows.push(m);
    else pairs.set(id, { key, message: m.message, rows: [m] });
  }
  const sorted = [...pairs.values()].sort((a, b) => compare(a.key, b.key) || compare(a.message, b.message)).flatMap((pair) => pair.rows);
  return Array.from({ length: MAX_CANDIDATES }, (_, k) => sorted[Math.floor((k * sorted.length) / MAX_CANDIDATES)]!);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}
