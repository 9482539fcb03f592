import type { KnowledgeEntry } from '../../ports/store.ts';
import type { AnalysisWindow } from '../../ports/analyzer.ts';
import type { LearningReport } from './learning-report.ts';

export const CUSTOMER_PROFILE_CATEGORY = 'customer-profile';

/**
 * What the learning analyzer keeps in the knowledge base: per successful topic, the answer that
 * worked (category = the topic's slug, key = the topic's id, so learning it again next cycle
 * replaces the entry instead of adding one), and per active customer a small preference profile
 * (category `customer-profile`, key = customer id).
 */
export function knowledgeEntries(report: LearningReport, window: AnalysisWindow, asOf: Date): KnowledgeEntry[] {
  const createdAt = asOf.toISOString();
  const learnedFrom = { from: window.from.toISOString(), to: window.to.toISOString() };
  const answers = report.successes.map(({ topic, successRate, best }): KnowledgeEntry => ({
    category: topic.slug,
    key: topic.id,
    content: {
      topic: topic.label,
      question: best.question,
      answer: best.answer,
      support: best.support,
      sameAnswer: best.sameAnswer,
      interactions: topic.interactions,
      successRate: Math.round(successRate * 1000) / 1000,
      learnedFrom,
    },
    createdAt,
  }));
  const profiles = report.profiles.map(({ customerId, ...profile }): KnowledgeEntry => ({
    category: CUSTOMER_PROFILE_CATEGORY,
    key: customerId,
    content: { customerId, ...profile, learnedFrom },
    createdAt,
  }));
  return [...answers, ...profiles];
}
