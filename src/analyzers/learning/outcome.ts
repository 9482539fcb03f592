/**
 * How an interaction ended, in three classes. The rule (documented here because every learning
 * number depends on it):
 *
 * - the recorded outcome decides when it is a known word: GOOD_OUTCOMES → good, BAD_OUTCOMES → bad
 *   (it is the platform's own record; sentiment is only an estimate, so it never overrides it);
 * - otherwise (no outcome, "pending", "unknown", anything else) the sentiment decides: at or above
 *   +0.25 good, at or below −0.25 bad, in between or missing neutral.
 *
 * Sentiment scores are taken to lie in [−1, 1], the scale of common sentiment scorers; ±0.25 keeps
 * mildly worded messages neutral.
 */

export type OutcomeClass = 'good' | 'bad' | 'neutral';

export const SENTIMENT_POSITIVE = 0.25;
export const SENTIMENT_NEGATIVE = -0.25;

export const GOOD_OUTCOMES: ReadonlySet<string> = new Set([
  'resolved',
  'success',
  'successful',
  'succeeded',
  'solved',
  'completed',
  'complete',
  'answered',
  'converted',
  'satisfied',
]);

export const BAD_OUTCOMES: ReadonlySet<string> = new Set([
  'unresolved',
  'not_resolved',
  'failed',
  'failure',
  'fail',
  'escalated',
  'abandoned',
  'churned',
  'complaint',
  'dissatisfied',
  'unsatisfied',
  'error',
  'timeout',
  'timed_out',
]);

/** "Not Resolved", "not-resolved" and "not_resolved" are one outcome. */
export function normalizeOutcome(outcome: string | null | undefined): string | null {
  const normalized = outcome
    ?.trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return normalized ? normalized : null;
}

/** The outcome's class from the outcome alone, as the warehouse's per-type counts allow. */
export function outcomeClassOf(outcome: string | null | undefined): OutcomeClass {
  const normalized = normalizeOutcome(outcome);
  if (normalized === null) return 'neutral';
  if (GOOD_OUTCOMES.has(normalized)) return 'good';
  if (BAD_OUTCOMES.has(normalized)) return 'bad';
  return 'neutral';
}

export function sentimentClassOf(sentiment: number | null | undefined): OutcomeClass {
  if (sentiment === null || sentiment === undefined || Number.isNaN(sentiment)) return 'neutral';
  if (sentiment >= SENTIMENT_POSITIVE) return 'good';
  if (sentiment <= SENTIMENT_NEGATIVE) return 'bad';
  return 'neutral';
}

/** The interaction's class: the outcome when it is known, else the sentiment. */
export function interactionClassOf(outcome: string | null | undefined, sentiment: number | null | undefined): OutcomeClass {
  const byOutcome = outcomeClassOf(outcome);
  return byOutcome !== 'neutral' ? byOutcome : sentimentClassOf(sentiment);
}
