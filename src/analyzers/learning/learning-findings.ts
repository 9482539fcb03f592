import type { Finding } from '../../domain/finding.ts';
import type { EvidenceItem, Priority, ProposedKnowledge } from '../../domain/proposal.ts';
import type { FailureMode, KnowledgeGap, LearningReport } from './learning-report.ts';
import type { BestAnswer } from './success-patterns.ts';
import type { TopicStats } from './topic-stats.ts';

/**
 * Knowledge gaps and failure modes as findings. Fingerprints name the topic's id, which depends on
 * its label alone (`learning:gap:<topic-id>`, `learning:failure:<topic-id>`). The magnitude is the
 * topic's interactions (everyone who asked is affected); priority and order follow rate × volume.
 */
export function learningFindings(report: LearningReport): Finding[] {
  const found = [
    ...report.gaps.map((gap) => gapFinding(gap, report)),
    ...report.failures.map((failure) => failureFinding(failure, report)),
  ];
  return found
    .sort((a, b) => b.impact - a.impact || (a.finding.fingerprint < b.finding.fingerprint ? -1 : 1))
    .map(({ finding }) => finding);
}

interface Ranked {
  finding: Finding;
  /** rate × interactions: the interactions the problem accounts for. */
  impact: number;
}

function gapFinding(gap: KnowledgeGap, report: LearningReport): Ranked {
  const { topic } = gap;
  const impact = gap.uncertainRate * topic.interactions;
  const signals = Object.keys(gap.signals)
    .map((s) => `"${s}"`)
    .join(', ');
  return {
    impact,
    finding: {
      analyzer: 'learning',
      type: 'learning',
      fingerprint: `learning:gap:${topic.id}`,
      title: `Knowledge gap: ${topicName(topic)} (${percent(gap.uncertainRate)}% of answers unsure)${forExample(gap.examples)}`,
      summary:
        `${count(topic.interactions, 'interaction')} asked about “${topicName(topic)}”; ${topic.uncertainAnswers} answers admitted not knowing (${signals}) ` +
        `and ${topic.badOutcomes} (${percent(gap.badOutcomeRate)}%) ended badly, against ${percent(report.badOutcomeRate)}% across all interactions.`,
      evidence: [
        ...topicEvidence(topic),
        { label: 'unsure answers', value: topic.uncertainAnswers },
        { label: 'unsure answer rate', value: percent(gap.uncertainRate), unit: '%' },
        { label: 'bad outcomes', value: topic.badOutcomes },
        { label: 'bad-outcome rate', value: percent(gap.badOutcomeRate), unit: '%' },
        ...baselineEvidence(report),
        ...quotes('question', gap.examples),
        ...capEvidence(report),
      ],
      priority: priorityOf(impact, report),
      magnitude: topic.interactions,
      ...knowledgeOf(topic, gap.suggestedAnswer),
      details: {
        kind: 'gap',
        topic: topicIdentity(topic),
        stats: topic,
        examples: gap.examples,
        signals: gap.signals,
        suggestedAnswer: gap.suggestedAnswer,
        byInteractionType: report.byInteractionType,
        texts: report.texts,
      },
    },
  };
}

function failureFinding(failure: FailureMode, report: LearningReport): Ranked {
  const { topic } = failure;
  const impact = failure.rate * topic.interactions;
  return {
    impact,
    finding: {
      analyzer: 'learning',
      type: 'learning',
      fingerprint: `learning:failure:${topic.id}`,
      title: `Failure mode: ${topicName(topic)} (${percent(failure.rate)}% go badly)${forExample(failure.examples)}`,
      summary:
        `${count(topic.interactions, 'interaction')} asked about “${topicName(topic)}” and were answered, yet ${topic.badOutcomes} (${percent(failure.badOutcomeRate)}%) ` +
        `ended with a bad outcome and ${topic.negativeSentiment} (${percent(failure.negativeRate)}%) with negative sentiment, against ${percent(report.badOutcomeRate)}% bad outcomes across all interactions.`,
      evidence: [
        ...topicEvidence(topic),
        { label: 'bad outcomes', value: topic.badOutcomes },
        { label: 'bad-outcome rate', value: percent(failure.badOutcomeRate), unit: '%' },
        { label: 'negative sentiment', value: topic.negativeSentiment },
        { label: 'negative-sentiment rate', value: percent(failure.negativeRate), unit: '%' },
        ...baselineEvidence(report),
        ...quotes('question', failure.examples),
        ...capEvidence(report),
      ],
      priority: priorityOf(impact, report),
      magnitude: topic.interactions,
      ...knowledgeOf(topic, failure.suggestedAnswer),
      details: {
        kind: 'failure',
        topic: topicIdentity(topic),
        stats: topic,
        examples: failure.examples,
        suggestedAnswer: failure.suggestedAnswer,
        byInteractionType: report.byInteractionType,
        texts: report.texts,
      },
    },
  };
}

/**
 * The entry executing the proposal publishes: the answer that worked in this topic, filed where the
 * analyzer files a learned answer (category = the topic's slug, key = its id), so the assistant reads
 * one answer per topic. Without an answer that worked there is nothing to publish, and no entry.
 */
function knowledgeOf(topic: TopicStats, best: BestAnswer | null): { knowledge?: ProposedKnowledge } {
  if (!best) return {};
  return {
    knowledge: {
      category: topic.slug,
      key: topic.id,
      content: {
        topic: topic.phrase,
        label: topic.label,
        question: best.question,
        answer: best.answer,
        support: best.support,
        sameAnswer: best.sameAnswer,
        interactions: topic.interactions,
      },
    },
  };
}

function topicEvidence(topic: TopicStats): EvidenceItem[] {
  return [
    { label: 'topic', value: topic.phrase },
    { label: 'distinctive words', value: topic.label.join(', ') },
    { label: 'interactions', value: topic.interactions },
    { label: 'customers', value: topic.customers },
  ];
}

function baselineEvidence(report: LearningReport): EvidenceItem[] {
  return [
    { label: 'bad-outcome rate, all interactions', value: percent(report.badOutcomeRate), unit: '%' },
    { label: 'interactions in window', value: report.interactions },
  ];
}

/** Topic numbers come from the texts fetched; when the warehouse capped them, say so and by how much. */
function capEvidence(report: LearningReport): EvidenceItem[] {
  if (!report.texts.capped) return [];
  return [
    { label: 'texts analyzed', value: report.texts.analyzed },
    { label: 'texts in window', value: report.texts.total },
    { label: 'text cap', value: report.texts.cap },
  ];
}

function quotes(label: string, texts: readonly string[]): EvidenceItem[] {
  return texts.map((text, i) => ({ label: `${label} ${i + 1}`, value: `“${text}”` }));
}

/**
 * Share of the analyzed interactions the problem accounts for: 5% or more of all conversations is
 * high, 1% medium. Never critical: a knowledge-base answer is not an outage.
 */
function priorityOf(impact: number, report: LearningReport): Priority {
  const share = report.texts.analyzed ? impact / report.texts.analyzed : 0;
  if (share >= 0.05) return 'high';
  if (share >= 0.01) return 'medium';
  return 'low';
}

function topicIdentity(topic: TopicStats) {
  return { id: topic.id, label: topic.label, slug: topic.slug, phrase: topic.phrase };
}

/** A label of three terms tells the topic to whoever knows it; the question most asked tells it to anyone. */
function forExample(examples: readonly string[]): string {
  const [question] = examples;
  if (!question) return '';
  return `, e.g. “${question.length > 80 ? `${question.slice(0, 79).trimEnd()}…` : question}”`;
}

/** The phrase customers use for it; the label's words stay in the evidence. */
function topicName(topic: TopicStats): string {
  return topic.phrase;
}

/** Percent with one decimal, as a number: 0.9 → 90, 0.1234 → 12.3. */
function percent(rate: number): number {
  return Math.round(rate * 1000) / 10;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
