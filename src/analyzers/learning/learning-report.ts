import type { Capped, InteractionGroups, InteractionText, InteractionTypeStats } from '../../ports/warehouse.ts';
import { customerProfiles, type CustomerProfile, type ProfileOptions } from './customer-profiles.ts';
import { createLearningPlan, type PlannedTopics } from './learning-plan.ts';
import { outcomeClassOf } from './outcome.ts';
import { groupRows } from './row-groups.ts';
import { bestAnswer, type BestAnswer } from './success-patterns.ts';
import { topicStats, type AnnotatedFacet } from './topic-facets.ts';
import { createAnnotator, mostFrequentCounted, rankedCounts, type TopicStats } from './topic-stats.ts';

export { DEFAULT_TOPIC_SAMPLE_SIZE } from './learning-plan.ts';

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

/** The report from rows already read (capped or not): grouped in memory as the warehouse would group them. */
export function learnFromInteractions(
  stats: readonly InteractionTypeStats[],
  texts: Capped<InteractionText>,
  options: LearningOptions = {},
): LearningReport {
  const { plan, planned } = createLearningPlan(options);
  const groups = groupRows(texts.rows, plan);
  return learningReport(
    stats,
    planned(groups),
    groups,
    { analyzed: texts.rows.length, total: texts.total, cap: texts.cap, capped: texts.capped },
    options,
  );
}

/** The report from a grouped read (`read` runs the warehouse's, given the plan): every row of the window. */
export async function learnFromGroups(
  stats: readonly InteractionTypeStats[],
  read: (plan: ReturnType<typeof createLearningPlan>['plan']) => Promise<InteractionGroups>,
  cap: number,
  options: LearningOptions = {},
): Promise<LearningReport> {
  const { plan, planned } = createLearningPlan(options);
  const groups = await read(plan);
  const analyzed = groups.facets.reduce((sum, f) => sum + f.count, 0);
  return learningReport(stats, planned(groups), groups, { analyzed, total: analyzed, cap, capped: false }, options);
}

function learningReport(
  stats: readonly InteractionTypeStats[],
  planned: PlannedTopics,
  groups: InteractionGroups,
  texts: LearningReport['texts'],
  options: LearningOptions,
): LearningReport {
  const minSupport = options.minTopicSupport ?? 10;
  const byInteractionType = stats.map(summarizeType);
  const interactions = byInteractionType.reduce((sum, t) => sum + t.interactions, 0);
  const badOutcomes = byInteractionType.reduce((sum, t) => sum + t.badOutcomes, 0);

  const { topics, topicOf } = planned;
  const facetsOf: AnnotatedFacet[][] = topics.map(() => []);
  for (const facet of planned.facets) {
    const t = topicOf[planned.conversationOf(facet)]!;
    if (t >= 0) facetsOf[t]!.push(facet);
  }
  const customers = new Map(groups.topicCustomers.map((c) => [c.topic, c.customers]));
  const candidatesOf = topics.map((): InteractionGroups['candidates'] => []);
  for (const candidate of groups.candidates) candidatesOf[candidate.topic]!.push(candidate);
  const analyzed = topics.map((topic, t) => ({
    facets: facetsOf[t]!,
    candidates: candidatesOf[t]!,
    stats: topicStats(topic, facetsOf[t]!, customers.get(t) ?? 0),
  }));
  analyzed.sort((a, b) => b.stats.interactions - a.stats.interactions || (a.stats.id < b.stats.id ? -1 : 1));
  const supported = analyzed.filter((t) => t.stats.interactions >= minSupport);
  const bestOf = (topic: (typeof analyzed)[number]) =>
    bestAnswer(
      topic.candidates,
      topic.facets.filter((f) => f.successful),
    );
  // A gap's suggested answer and a success's best answer are one ranking of the same topic: run it once.
  const bestAnswers = new Map<string, BestAnswer | null>();
  const bestAnswerOf = (topic: (typeof analyzed)[number]) => {
    if (!bestAnswers.has(topic.stats.id)) bestAnswers.set(topic.stats.id, bestOf(topic));
    return bestAnswers.get(topic.stats.id)!;
  };
  const counted = (facets: readonly AnnotatedFacet[]) => facets.map((f) => [f.message, f.count] as const);

  const gaps = supported.flatMap((analysis): KnowledgeGap[] => {
    const { stats: topic, facets } = analysis;
    const uncertainRate = topic.uncertainAnswers / topic.interactions;
    if (uncertainRate < (options.gapRate ?? 0.3)) return [];
    const unsure = facets.filter((f) => f.uncertainty.length > 0);
    const signals = new Map<string, number>();
    for (const f of unsure) for (const signal of f.uncertainty) signals.set(signal, (signals.get(signal) ?? 0) + f.count);
    return [
      {
        topic,
        uncertainRate,
        badOutcomeRate: topic.badOutcomes / topic.interactions,
        examples: mostFrequentCounted(counted(unsure), 3),
        signals: Object.fromEntries(rankedCounts(signals)),
        suggestedAnswer: bestAnswerOf(analysis),
      },
    ];
  });
  const gapIds = new Set(gaps.map((g) => g.topic.id));

  // A topic that is a gap is not also a failure mode: not knowing explains its bad outcomes, and one
  // problem should make one proposal.
  const failures = supported.flatMap((analysis): FailureMode[] => {
    const { stats: topic, facets } = analysis;
    if (gapIds.has(topic.id)) return [];
    const badOutcomeRate = topic.badOutcomes / topic.interactions;
    const negativeRate = topic.negativeSentiment / topic.interactions;
    const rate = Math.max(badOutcomeRate, negativeRate);
    if (rate < (options.failureRate ?? 0.5)) return [];
    const wentBadly = facets.filter((f) => f.outcomeClass === 'bad' || f.sentimentClass === 'bad');
    return [
      {
        topic,
        badOutcomeRate,
        negativeRate,
        rate,
        examples: mostFrequentCounted(counted(wentBadly), 3),
        suggestedAnswer: bestOf(analysis),
      },
    ];
  });

  const successes = supported.flatMap((analysis): SuccessPattern[] => {
    const successRate = analysis.stats.successful / analysis.stats.interactions;
    const best = successRate >= (options.successRate ?? 0.6) ? bestAnswerOf(analysis) : null;
    return best ? [{ topic: analysis.stats, successRate, best }] : [];
  });

  const profileRows = groups.profileRows.map(createAnnotator());
  return {
    interactions,
    badOutcomeRate: interactions ? badOutcomes / interactions : 0,
    byInteractionType,
    texts,
    topics: analyzed.map((t) => t.stats),
    gaps,
    failures,
    successes,
    profiles: customerProfiles(
      profileRows,
      (index) => {
        const t = groups.profileRows[index]!.topic;
        return t === null ? null : topics[t]!.slug;
      },
      options,
    ),
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
