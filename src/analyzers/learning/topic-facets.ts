import type { InteractionFacet } from '../../ports/warehouse.ts';
import { normalizeOutcome, outcomeClassOf, type OutcomeClass } from './outcome.ts';
import { rankedCounts, type TopicStats } from './topic-stats.ts';
import type { Topic } from './topics.ts';
import { detectUncertainAnswer } from './uncertain-answer.ts';

/** A facet (rows alike in conversation, outcome, type and sentiment class) with what learning reads into it. */
export interface AnnotatedFacet extends InteractionFacet {
  outcomeClass: OutcomeClass;
  /** The outcome when known, else the sentiment (outcome.ts). */
  verdict: OutcomeClass;
  /** Uncertainty phrases in the answer; empty when it answered with confidence. */
  uncertainty: string[];
  /** Its rows are successes to learn from: a good verdict, a sure and non-blank answer. */
  successful: boolean;
}

/**
 * Each distinct answer shape is read for uncertainty once: answers that differ only in their numbers
 * (an order number, an amount) say the same, and no uncertainty phrase holds a digit, so a run of
 * digits read as one digit leaves every match where it was.
 */
export function annotateFacets(facets: readonly InteractionFacet[]): AnnotatedFacet[] {
  const byShape = new Map<string, string[]>();
  const signalsOf = (response: string | null) => {
    if (response === null) return detectUncertainAnswer(null).signals;
    const shape = response.replace(/\d+/g, '0');
    let found = byShape.get(shape);
    if (!found) byShape.set(shape, (found = detectUncertainAnswer(shape).signals));
    return found;
  };
  const signals = new Map<string | null, string[]>();
  return facets.map((facet) => {
    let uncertainty = signals.get(facet.response);
    if (!uncertainty) signals.set(facet.response, (uncertainty = signalsOf(facet.response)));
    const outcomeClass = outcomeClassOf(facet.outcome);
    const verdict = outcomeClass !== 'neutral' ? outcomeClass : facet.sentimentClass;
    return {
      ...facet,
      outcomeClass,
      verdict,
      uncertainty,
      successful: answerable(facet.response, uncertainty) && verdict === 'good',
    };
  });
}

/** A sure, non-blank answer: a row of it with a good verdict is a success. */
export function answerable(response: string | null, uncertainty: readonly string[]): boolean {
  return uncertainty.length === 0 && Boolean(response?.trim());
}

/** A topic's numbers from its facets and its distinct customers (counted in the warehouse). */
export function topicStats(topic: Topic, facets: readonly AnnotatedFacet[], customers: number): TopicStats {
  const outcomes = new Map<string, number>();
  const types = new Map<string, number>();
  const stats = {
    interactions: 0,
    good: 0,
    bad: 0,
    positive: 0,
    negative: 0,
    sentimentSum: 0,
    sentimentCount: 0,
    uncertain: 0,
    successful: 0,
  };
  for (const f of facets) {
    const outcome = normalizeOutcome(f.outcome) ?? 'unknown';
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + f.count);
    types.set(f.interactionType, (types.get(f.interactionType) ?? 0) + f.count);
    stats.interactions += f.count;
    if (f.outcomeClass === 'good') stats.good += f.count;
    else if (f.outcomeClass === 'bad') stats.bad += f.count;
    if (f.sentimentClass === 'good') stats.positive += f.count;
    else if (f.sentimentClass === 'bad') stats.negative += f.count;
    stats.sentimentSum += f.sentimentSum;
    stats.sentimentCount += f.sentimentCount;
    if (f.uncertainty.length > 0) stats.uncertain += f.count;
    if (f.successful) stats.successful += f.count;
  }
  return {
    id: topic.id,
    label: topic.label,
    slug: topic.slug,
    phrase: topic.phrase,
    interactions: stats.interactions,
    customers,
    outcomes: Object.fromEntries(rankedCounts(outcomes)),
    goodOutcomes: stats.good,
    badOutcomes: stats.bad,
    positiveSentiment: stats.positive,
    negativeSentiment: stats.negative,
    meanSentiment: stats.sentimentCount ? stats.sentimentSum / stats.sentimentCount : null,
    uncertainAnswers: stats.uncertain,
    successful: stats.successful,
    byInteractionType: Object.fromEntries(rankedCounts(types)),
  };
}
