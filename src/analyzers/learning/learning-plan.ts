import type {
  InteractionFacet,
  InteractionGroupPlan,
  InteractionGroups,
  InteractionSampleSpec,
  InteractionTopicSpec,
  SampledConversation,
} from '../../ports/warehouse.ts';
import { outcomeClassOf } from './outcome.ts';
import { MAX_CANDIDATES, compareText, normalizeAnswer } from './success-patterns.ts';
import { annotateFacets, answerable, type AnnotatedFacet } from './topic-facets.ts';
import { stratumQuotas } from './topic-sample.ts';
import { assignTopics, type CountedConversation, type Topic } from './topics.ts';

export const DEFAULT_TOPIC_SAMPLE_SIZE = 2000;

/** What the plan decided, for the report: the annotated facets, the conversations and their topics. */
export interface PlannedTopics {
  facets: AnnotatedFacet[];
  conversations: CountedConversation[];
  topics: Topic[];
  /** Conversation index → topic index, -1 for none. */
  topicOf: Int32Array;
  /** Index of a facet's conversation. */
  conversationOf(facet: InteractionFacet): number;
}

/**
 * The Node side of learning's grouped read (InteractionGroupPlan): the warehouse groups the rows,
 * Node reads the distinct answers and outcomes (uncertainty, outcome classes), chooses the strata
 * of the clustering's sample, and assigns each distinct conversation a topic; the warehouse then
 * counts what needs rows (customers, candidates, profiled customers) with those decisions.
 */
export function createLearningPlan(options: { topicSampleSize?: number; minInteractions?: number; maxProfiles?: number } = {}) {
  const sampleSize = options.topicSampleSize ?? DEFAULT_TOPIC_SAMPLE_SIZE;
  let facets: AnnotatedFacet[] = [];
  const conversations: CountedConversation[] = [];
  // Question → answer → conversation index: no key strings built from two texts.
  const byText = new Map<string, Map<string | null, number>>();
  const indexOf = (message: string, response: string | null) => byText.get(message)?.get(response);
  let topics: Topic[] = [];
  let topicOf = new Int32Array(0);
  let goodOutcomes: string[] = [];
  let badOutcomes: string[] = [];

  const plan: InteractionGroupPlan = {
    sample(given): InteractionSampleSpec {
      facets = annotateFacets(given);
      const sizes = [0, 0, 0];
      const unsure = new Set<string | null>();
      const outcomes = new Set<string>();
      for (const f of facets) {
        const stratum = f.uncertainty.length > 0 ? 0 : f.verdict === 'bad' ? 1 : 2;
        sizes[stratum]! += f.count;
        if (stratum === 0) unsure.add(f.response);
        if (f.outcome !== null) outcomes.add(f.outcome);
        let answers = byText.get(f.message);
        if (!answers) byText.set(f.message, (answers = new Map()));
        let index = answers.get(f.response);
        if (index === undefined) {
          answers.set(f.response, (index = conversations.length));
          conversations.push({ message: f.message, response: f.response, count: 0, sampled: 0, firstSampled: 0 });
        }
        conversations[index]!.count += f.count;
      }
      goodOutcomes = [...outcomes].filter((o) => outcomeClassOf(o) === 'good');
      badOutcomes = [...outcomes].filter((o) => outcomeClassOf(o) === 'bad');
      return { unsureResponses: [...unsure], goodOutcomes, badOutcomes, quotas: stratumQuotas(sizes, sampleSize) };
    },

    topics(sampled: readonly SampledConversation[]): InteractionTopicSpec {
      for (const s of sampled) {
        const conversation = conversations[indexOf(s.message, s.response)!]!;
        conversation.sampled = s.sampled;
        conversation.firstSampled = s.firstPosition;
      }
      topics = assignTopics(conversations);
      topicOf = new Int32Array(conversations.length).fill(-1);
      topics.forEach((topic, t) => {
        for (const index of topic.members) topicOf[index] = t;
      });
      const uncertainty = new Map(facets.map((f) => [f.response, f.uncertainty]));
      const answerables = conversations.map((c) => answerable(c.response, uncertainty.get(c.response) ?? []));
      // Only successes are ranked by (answer, question): the other conversations keep rank 0.
      const keys = conversations.map((c, i) => (answerables[i] ? normalizeAnswer(c.response!) : ''));
      const order = conversations
        .map((_, i) => i)
        .filter((i) => answerables[i])
        .sort((a, b) => compareText(keys[a]!, keys[b]!) || compareText(conversations[a]!.message, conversations[b]!.message));
      // Dense: conversations that differ in the answer's case or spacing alone are one pair.
      const pairRank = new Int32Array(conversations.length);
      order.forEach((index, i) => {
        const previous = order[i - 1];
        const same =
          previous !== undefined && keys[previous] === keys[index] && conversations[previous]!.message === conversations[index]!.message;
        pairRank[index] = previous === undefined ? 0 : pairRank[previous]! + (same ? 0 : 1);
      });
      return {
        conversations: conversations.map((c, i) => ({
          message: c.message,
          response: c.response,
          topic: topicOf[i]!,
          pairRank: pairRank[i]!,
          answerable: answerables[i]!,
        })),
        goodOutcomes,
        badOutcomes,
        maxCandidates: MAX_CANDIDATES,
        minInteractions: options.minInteractions ?? 3,
        maxProfiles: options.maxProfiles ?? 100,
      };
    },
  };

  return {
    plan,
    planned(groups: InteractionGroups): PlannedTopics {
      if (groups.facets.length !== facets.length) throw new Error('The grouped read answered other facets than the plan saw');
      return { facets, conversations, topics, topicOf, conversationOf: (f) => indexOf(f.message, f.response)! };
    },
  };
}
