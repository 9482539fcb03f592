import type { Capped, InteractionText, InteractionTypeStats } from '../../ports/warehouse.ts';
import { customerProfiles, type CustomerProfile, type ProfileOptions } from './customer-profiles.ts';
import { outcomeClassOf } from './outcome.ts';
import { bestAnswer, type BestAnswer } from './success-patterns.ts';
import { createAnnotator, mostFrequent, ranked, topicStats, type AnnotatedInteraction, type TopicStats } from './topic-stats.ts';
import { topicSample } from './topic-sample.ts';
import { assignTopics } from './topics.ts';

/**
 * What a window of customer interactions teaches: outcome and sentiment by interaction type (exact,
 * from the warehouse's aggregates) and by topic (from the fetched texts: all of them up to the
 * fetch cap, clustered on a sample and then assigned), the answers that
 * worked, the topics the assistant does not know (knowledge gaps) and the topics that go badly even
 * when it answers (failure modes), and per-customer preference profiles. Pure: rows in, report out.
 */

export interface LearningOptions extends ProfileOptions {
  /** A topic needs this many interactions to be reported as a gap, a failure or a success (default 10). */
  minTopicSupport?: number;
  /** Share of a topic's answers that are unsure for a knowledge gap (default 0.3). */
  gapRate?: number;
  /** Bad-outcome or negative-sentiment share of a topic for a failure mode (default 0.5). */
  failureRate?: number;
  /** Share of a topic's interactions that are successes for a success pattern (default 0.6). */
  successRate?: number;
  /**
   * Conversations the topic clustering sees (default 2000): average linkage keeps n² doubles, 32 MB
   * at 2000. Every conversation is then assigned to a topic, so topic counts stay exact.
   */
  topicSampleSize?: number;
}

export interface InteractionTypeSummary extends InteractionTypeStats {
  goodOutcomes: number;
  badOutcomes: number;
  badOutcomeRate: number;
}

export interface KnowledgeGap {
  topic: TopicStats;
  uncertainRate: number;
  badOutcomeRate: number;
  /** Unsure answers' questions, most asked first. */
  examples: string[];
  /** Uncertainty phrase → answers that used it. */
  signals: Record<string, number>;
  /** The answer that did work in this topic, when one did: a starting point for the fix. */
  suggestedAnswer: BestAnswer | null;
}

export interface FailureMode {
  topic: TopicStats;
  badOutcomeRate: number;
  negativeRate: number;
  /** The higher of the two: the rate that made it a failure mode. */
  rate: number;
  /** Questions of the conversations that went badly, most asked first. */
  examples: string[];
  /** The answer that did work in this topic, when one did: what a knowledge entry would say. */
  suggestedAnswer: BestAnswer | null;
}

export interface SuccessPattern {
  topic: TopicStats;
  successRate: number;
  best: BestAnswer;
}

export interface LearningReport {
  /** All interactions in the window (the warehouse's count, not capped). */
  interactions: number;
  /** Bad outcomes over all interactions of the window: the baseline a topic is compared with. */
  badOutcomeRate: number;
  byInteractionType: InteractionTypeSummary[];
  texts: { analyzed: number; total: number; cap: number; capped: boolean };
  /** Every topic, largest first. */
  topics: TopicStats[];
  gaps: KnowledgeGap[];
  failures: FailureMode[];
  successes: SuccessPattern[];
  profiles: CustomerProfile[];
}

export const DEFAULT_TOPIC_SAMPLE_SIZE = 2000;

export function learnFromInteractions(
  stats: readonly InteractionTypeStats[],
  texts: Capped<InteractionText>,
  options: LearningOptions = {},
): LearningReport {
  const minSupport = options.minTopicSupport ?? 10;
  const byInteractionType = stats.map(summarizeType);
  const interactions = byInteractionType.reduce((sum, t) => sum + t.interactions, 0);
  const badOutcomes = byInteractionType.reduce((sum, t) => sum + t.badOutcomes, 0);

  const annotated = texts.rows.map(createAnnotator());
  const topics = assignTopics(annotated, topicSample(annotated, options.topicSampleSize ?? DEFAULT_TOPIC_SAMPLE_SIZE));
  const topicOfIndex = new Map<number, string>();
  for (const topic of topics) for (const index of topic.members) topicOfIndex.set(index, topic.slug);
  const analyzed = topics.map((topic) => {
    const members = topic.members.map((i) => annotated[i]!);
    return { members, stats: topicStats(topic, members) };
  });
  analyzed.sort((a, b) => b.stats.interactions - a.stats.interactions || (a.stats.id < b.stats.id ? -1 : 1));
  const supported = analyzed.filter((t) => t.stats.interactions >= minSupport);
  // A gap's suggested answer and a success's best answer are one ranking of the same topic: run it once.
  const bestAnswers = new Map<string, BestAnswer | null>();
  const bestAnswerOf = (id: string, members: readonly AnnotatedInteraction[]) => {
    if (!bestAnswers.has(id)) bestAnswers.set(id, bestAnswer(members));
    return bestAnswers.get(id)!;
  };

  const gaps = supported.flatMap(({ stats: topic, members }): KnowledgeGap[] => {
    const uncertainRate = topic.uncertainAnswers / topic.interactions;
    if (uncertainRate < (options.gapRate ?? 0.3)) return [];
    const unsure = members.filter((m) => m.uncertainty.length > 0);
    return [
      {
        topic,
        uncertainRate,
        badOutcomeRate: topic.badOutcomes / topic.interactions,
        examples: mostFrequent(
          unsure.map((m) => m.message),
          3,
        ),
        signals: Object.fromEntries(ranked(unsure.flatMap((m) => m.uncertainty))),
        suggestedAnswer: bestAnswerOf(topic.id, members),
      },
    ];
  });
  const gapIds = new Set(gaps.map((g) => g.topic.id));

  // A topic that is a gap is not also a failure mode: not knowing explains its bad outcomes, and one
  // problem should make one proposal.
  const failures = supported.flatMap(({ stats: topic, members }): FailureMode[] => {
    if (gapIds.has(topic.id)) return [];
    const badOutcomeRate = topic.badOutcomes / topic.interactions;
    const negativeRate = topic.negativeSentiment / topic.interactions;
    const rate = Math.max(badOutcomeRate, negativeRate);
    if (rate < (options.failureRate ?? 0.5)) return [];
    const wentBadly = members.filter((m) => m.outcomeClass === 'bad' || m.sentimentClass === 'bad');
    return [
      {
        topic,
        badOutcomeRate,
        negativeRate,
        rate,
        examples: mostFrequent(
          wentBadly.map((m) => m.message),
          3,
        ),
        suggestedAnswer: bestAnswer(members),
      },
    ];
  });

  const successes = supported.flatMap(({ stats: topic, members }): SuccessPattern[] => {
    const successRate = topic.successful / topic.interactions;
    const best = successRate >= (options.successRate ?? 0.6) ? bestAnswerOf(topic.id, members) : null;
    return best ? [{ topic, successRate, best }] : [];
  });

  return {
    interactions,
    badOutcomeRate: interactions ? badOutcomes / interactions : 0,
    byInteractionType,
    texts: { analyzed: texts.rows.length, total: texts.total, cap: texts.cap, capped: texts.capped },
    topics: analyzed.map((t) => t.stats),
    gaps,
    failures,
    successes,
    profiles: customerProfiles(annotated, (index) => topicOfIndex.get(index) ?? null, options),
  };
}

function summarizeType(stats: InteractionTypeStats): InteractionTypeSummary {
  let goodOutcomes = 0;
  let badOutcomes = 0;
  for (const [outcome, count] of Object.entries(stats.outcomes)) {
    const outcomeClass = outcomeClassOf(outcome);
    if (outcomeClass === 'good') goodOutcomes += count;
    if (outcomeClass === 'bad') badOutcomes += count;
  }
  return { ...stats, goodOutcomes, badOutcomes, badOutcomeRate: stats.interactions ? badOutcomes / stats.interactions : 0 };
}
