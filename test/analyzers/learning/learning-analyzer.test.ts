import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/domain/finding.ts';
import { createLearningAnalyzer, type LearningAnalyzerDeps } from '../../../src/analyzers/learning/learning-analyzer.ts';
import type { AnalysisContext } from '../../../src/ports/analyzer.ts';
import type { KnowledgeEntry } from '../../../src/ports/store.ts';
import type { TelemetryWarehouse } from '../../../src/ports/warehouse.ts';
import { createMemoryWarehouse } from '../../helpers/memory-warehouse.ts';
import {
  AS_OF,
  DAY,
  INVOICE_ANSWER,
  PASSWORD_ANSWER,
  PASSWORD_QUESTIONS,
  PHONE_ANSWER,
  RATE_LIMIT_ANSWER,
  REFUND_ANSWER,
  REFUND_QUESTIONS,
  UNSURE_REFUND_ANSWER,
  plantedDay,
  type Row,
} from './planted-interactions.ts';

const context: AnalysisContext = { cycle: 'daily', window: DAY, asOf: AS_OF };

/** The memory warehouse, counting how often the texts were fetched. */
function warehouseOver(rows: Row[]): TelemetryWarehouse & { textFetches: number } {
  const inner = createMemoryWarehouse({ interactions: rows });
  const counted = {
    ...inner,
    textFetches: 0,
    async interactionTexts(window: typeof DAY, cap: number) {
      counted.textFetches++;
      return inner.interactionTexts(window, cap);
    },
  };
  return counted;
}

async function run(rows: Row[], options: Partial<LearningAnalyzerDeps> & { min?: number } = {}) {
  const warehouse = warehouseOver(rows);
  const written: KnowledgeEntry[] = [];
  const analyzer = createLearningAnalyzer({
    warehouse,
    knowledge: { put: async (entry) => void written.push(entry) },
    settings: { minInteractionsForLearning: options.min ?? 100 },
    ...options,
  });
  const findings = await analyzer.analyze(context);
  return { findings, written, warehouse };
}

const evidence = (finding: Finding) => Object.fromEntries(finding.evidence.map((e) => [e.label, e.value]));
const answers = (written: KnowledgeEntry[]) => written.filter((e) => e.category !== 'customer-profile');

describe('the learning analyzer', () => {
  it('finds the planted knowledge gap: 20 refund interactions, 18 unsure answers, 90% bad outcomes', async () => {
    const { findings } = await run(plantedDay());
    expect(findings).toHaveLength(1);
    const [gap] = findings as [Finding];
    expect(gap.fingerprint).toMatch(/^learning:gap:[0-9a-f]{12}$/);
    expect(gap).toMatchObject({ analyzer: 'learning', type: 'learning', magnitude: 20, priority: 'high' });
    expect(evidence(gap)).toMatchObject({
      interactions: 20,
      'unsure answers': 18,
      'unsure answer rate': 90,
      'bad outcomes': 18,
      'bad-outcome rate': 90,
      'bad-outcome rate, all interactions': 15,
      'interactions in window': 120,
    });
    expect(String(evidence(gap)['distinctive words'])).toMatch(/refund/);
    expect(gap.title).toMatch(/^Knowledge gap: annual plan \(/);
    expect(evidence(gap)).not.toHaveProperty('text cap');
    const details = gap.details as { examples: string[]; suggestedAnswer: { answer: string; support: number } };
    expect(details.examples).toHaveLength(3);
    for (const question of details.examples) expect(REFUND_QUESTIONS).toContain(question);
    // The two refund conversations that did end well give the fix its starting point.
    expect(details.suggestedAnswer).toMatchObject({ answer: REFUND_ANSWER, support: 2 });
  });

  it('keeps the answer that worked for each successful topic in the knowledge base, one entry per topic', async () => {
    const { written } = await run(plantedDay());
    const learned = answers(written);
    expect(learned.map((e) => e.content.answer).sort()).toEqual([PASSWORD_ANSWER, INVOICE_ANSWER, RATE_LIMIT_ANSWER, PHONE_ANSWER].sort());
    const password = learned.find((e) => e.content.answer === PASSWORD_ANSWER)!;
    expect(password.category).toMatch(/password/);
    expect(password.key).toMatch(/^[0-9a-f]{12}$/);
    expect(password.createdAt).toBe(AS_OF.toISOString());
    expect(password.content).toMatchObject({ support: 30, sameAnswer: 26, interactions: 30, successRate: 1 });
    expect(PASSWORD_QUESTIONS).toContain(password.content.question);
    // The gap's topic has no entry: two good answers in twenty is not a pattern.
    expect(learned.some((e) => e.content.answer === REFUND_ANSWER || e.content.answer === UNSURE_REFUND_ANSWER)).toBe(false);
  });

  it('keeps a small preference profile of a frequent customer', async () => {
    const { written } = await run(plantedDay());
    const profiles = written.filter((e) => e.category === 'customer-profile');
    expect(profiles.map((p) => p.key)).toEqual(['vip-1']);
    const password = answers(written).find((e) => e.content.answer === PASSWORD_ANSWER)!;
    expect(profiles[0]!.content).toMatchObject({
      customerId: 'vip-1',
      interactions: 5,
      preferredInteractionType: 'chat',
      preferredChannel: 'mobile',
      topTopics: [{ topic: password.category, interactions: 5 }],
      meanSentiment: 0.2,
      sentimentTrend: 'improving',
      verdicts: { good: 5, bad: 0, neutral: 0 },
    });
  });

  it('does nothing at all below minInteractionsForLearning: no texts read, no findings, no writes', async () => {
    const rows = plantedDay().slice(0, 99);
    const below = await run(rows, { min: 100 });
    expect(below.findings).toEqual([]);
    expect(below.written).toEqual([]);
    expect(below.warehouse.textFetches).toBe(0);

    const atThreshold = await run(rows, { min: 99 });
    expect(atThreshold.warehouse.textFetches).toBe(1);
    expect(atThreshold.written.length).toBeGreaterThan(0);
  });

  it('reports a topic that is answered with confidence yet goes badly as a failure mode, not a gap', async () => {
    const rows = plantedDay().map((row) =>
      row.response === UNSURE_REFUND_ANSWER ? { ...row, response: 'Annual plans are not refundable.', sentiment: -0.6 } : row,
    );
    const { findings } = await run(rows);
    expect(findings).toHaveLength(1);
    const [failure] = findings as [Finding];
    expect(failure.fingerprint).toMatch(/^learning:failure:[0-9a-f]{12}$/);
    expect(failure.magnitude).toBe(20);
    expect(evidence(failure)).toMatchObject({
      interactions: 20,
      'bad outcomes': 18,
      'bad-outcome rate': 90,
      'negative sentiment': 18,
      'negative-sentiment rate': 90,
    });
    // Same topic, same id: only the kind of problem differs.
    const { findings: gapFindings } = await run(plantedDay());
    expect(failure.fingerprint.split(':')[2]).toBe(gapFindings[0]!.fingerprint.split(':')[2]);
  });

  it('finds nothing in clean data, where every topic is answered and ends well', async () => {
    const rows = plantedDay().map((row) =>
      row.response === UNSURE_REFUND_ANSWER ? { ...row, response: REFUND_ANSWER, outcome: 'resolved', sentiment: 0.6 } : row,
    );
    const { findings, written } = await run(rows);
    expect(findings).toEqual([]);
    expect(answers(written).map((e) => e.content.answer)).toContain(REFUND_ANSWER);
  });

  it('gives the same fingerprints, numbers and knowledge whatever order the rows come in', async () => {
    const runs = await Promise.all([7, 1, 2, 3].map((seed) => run(plantedDay(seed))));
    const [first, ...others] = runs.map(({ findings, written }) => ({
      findings: findings.map((f) => ({ fingerprint: f.fingerprint, magnitude: f.magnitude, evidence: f.evidence, priority: f.priority })),
      answers: answers(written).sort((a, b) => a.key.localeCompare(b.key)),
    }));
    for (const other of others) expect(other).toEqual(first);
  });

  it('reports the text cap in the evidence when the warehouse capped the texts', async () => {
    const { findings } = await run(plantedDay(), { textCap: 80 });
    expect(findings).toHaveLength(1);
    expect(evidence(findings[0]!)).toMatchObject({
      'texts analyzed': 80,
      'texts in window': 120,
      'text cap': 80,
      'interactions in window': 120,
    });
    // Topic numbers come from the 80 texts read, so the gap looks smaller than the 20 planted.
    expect(findings[0]!.magnitude).toBeLessThan(20);
  });

  it('writes no knowledge in a dry run: without the knowledge sink, or when the context says so', async () => {
    const wet = await run(plantedDay());
    const withoutSink = await createLearningAnalyzer({
      warehouse: warehouseOver(plantedDay()),
      settings: { minInteractionsForLearning: 100 },
    }).analyze(context);
    expect(withoutSink).toEqual(wet.findings);

    const dry = await run(plantedDay());
    const written: KnowledgeEntry[] = [];
    const analyzer = createLearningAnalyzer({
      warehouse: warehouseOver(plantedDay()),
      knowledge: { put: async (e) => void written.push(e) },
      settings: { minInteractionsForLearning: 100 },
    });
    expect(await analyzer.analyze({ ...context, dryRun: true } as AnalysisContext)).toEqual(dry.findings);
    expect(written).toEqual([]);
  });

  it('runs in daily and weekly cycles under the name "learning"', () => {
    const analyzer = createLearningAnalyzer({ warehouse: warehouseOver([]), settings: { minInteractionsForLearning: 1 } });
    expect(analyzer.name).toBe('learning');
    expect(analyzer.cycles).toEqual(['daily', 'weekly']);
  });
});
