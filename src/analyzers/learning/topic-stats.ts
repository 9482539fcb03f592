import type { InteractionText } from '../../ports/warehouse.ts';
import { quoteShape } from '../features/distinct-quotes.ts';
import { interactionClassOf, outcomeClassOf, sentimentClassOf, type OutcomeClass } from './outcome.ts';
import { detectUncertainAnswer } from './uncertain-answer.ts';

/** One interaction with what the learning analyzer reads into it. */
export interface AnnotatedInteraction extends InteractionText {
  /** From the outcome alone (outcome.ts). */
  outcomeClass: OutcomeClass;
  /** From the sentiment alone. */
  sentimentClass: OutcomeClass;
  /** The outcome when known, else the sentiment. */
  verdict: OutcomeClass;
  /** Uncertainty phrases in the answer; empty when it answered with confidence. */
  uncertainty: string[];
  /**
   * A success to learn from: a good verdict, a non-empty answer, and no uncertainty in it (an unsure
   * answer that happened to end well is luck, not a pattern worth teaching).
   */
  successful: boolean;
}

export function annotate(text: InteractionText): AnnotatedInteraction {
  return annotateWith(text, detectUncertainAnswer(text.response).signals);
}

function annotateWith(text: InteractionText, uncertainty: string[]): AnnotatedInteraction {
  const verdict = interactionClassOf(text.outcome, text.sentiment);
  return {
    ...text,
    outcomeClass: outcomeClassOf(text.outcome),
    sentimentClass: sentimentClassOf(text.sentiment),
    verdict,
    uncertainty,
    successful: verdict === 'good' && uncertainty.length === 0 && Boolean(text.response?.trim()),
  };
}

/** annotate, reading each distinct answer for uncertainty once (answers repeat far more than rows do). */
export function createAnnotator(): (text: InteractionText) => AnnotatedInteraction {
  const signals = new Map<string | null, string[]>();
  return (text) => {
    let found = signals.get(text.response);
    if (!found) signals.set(text.response, (found = detectUncertainAnswer(text.response).signals));
    return annotateWith(text, found);
  };
}

export interface TopicStats {
  id: string;
  label: string[];
  slug: string;
  /** The phrase its questions use most (topics.ts): the topic's name in titles. */
  phrase: string;
  interactions: number;
  customers: number;
  /** Normalized outcome → count; a missing outcome counts as "unknown", as in the warehouse. */
  outcomes: Record<string, number>;
  goodOutcomes: number;
  badOutcomes: number;
  positiveSentiment: number;
  negativeSentiment: number;
  /** null when no interaction of the topic has a sentiment score. */
  meanSentiment: number | null;
  uncertainAnswers: number;
  successful: number;
  /** Interaction type → count. */
  byInteractionType: Record<string, number>;
}

/** [value, count] pairs, most frequent first, ties alphabetical: an order that row order never changes. */
export function ranked(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return rankedCounts(counts);
}

/** Value → count, for reports (a record's own key order is not to be relied on). */
export function tally(values: readonly string[]): Record<string, number> {
  return Object.fromEntries(ranked(values));
}

/**
 * Distinct texts, most frequent first, ties alphabetical; texts that differ only in numbers or ids
 * count as one wording (quoteShape), shown as its most frequent spelling, so no quote repeats.
 */
export function mostFrequent(texts: readonly string[], limit: number): string[] {
  return mostFrequentCounted(
    texts.map((text) => [text, 1] as const),
    limit,
  );
}

/** mostFrequent over texts each said `count` times. */
export function mostFrequentCounted(texts: readonly (readonly [string, number])[], limit: number): string[] {
  const shapes = new Map<string, { count: number; spellings: Map<string, number> }>();
  for (const [raw, count] of texts) {
    const text = raw.trim();
    if (!text) continue;
    const shape = quoteShape(text);
    const entry = shapes.get(shape) ?? { count: 0, spellings: new Map<string, number>() };
    entry.count += count;
    entry.spellings.set(text, (entry.spellings.get(text) ?? 0) + count);
    shapes.set(shape, entry);
  }
  return [...shapes.values()]
    .map(({ count, spellings }) => [rankedCounts(spellings)[0]![0], count] as const)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([text]) => text);
}

/** Counted values as ranked() orders them: most frequent first, ties alphabetical. */
export function rankedCounts(counts: ReadonlyMap<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
