import { describe, expect, it } from 'vitest';
import { createLearningAnalyzer } from '../../../src/analyzers/learning/learning-analyzer.ts';
import type { AnalysisContext } from '../../../src/ports/analyzer.ts';
import { createMemoryWarehouse, type InteractionRow } from '../../helpers/memory-warehouse.ts';

const DAY = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-03T00:00:00Z') };
const context: AnalysisContext = { cycle: 'daily', window: DAY, asOf: DAY.to };

function rows(specs: { message: string; response: string; outcome: string; sentiment: number; count: number }[]): InteractionRow[] {
  const all = specs.flatMap((spec) =>
    Array.from({ length: spec.count }, (_, i) => ({ ...spec, message: spec.message.replace('{n}', String(30_000 + i * 7)) })),
  );
  return all.map((spec, i) => ({
    message: spec.message,
    response: spec.response,
    outcome: spec.outcome,
    sentiment: spec.sentiment,
    customerId: `c-${i % 50}`,
    interactionType: 'support',
    metadata: {},
    timestamp: new Date(DAY.from.getTime() + (i + 1) * 60_000),
  }));
}

describe('a support topic a person can read', () => {
  it('names a failure mode by the phrase customers use and quotes each wording once', async () => {
    const handover = "Of course. I've asked a member of the team to take over this conversation.";
    const analyzer = createLearningAnalyzer({
      warehouse: createMemoryWarehouse({
        interactions: rows([
          { message: 'Can I talk to a human?', response: handover, outcome: 'escalated', sentiment: -0.3, count: 30 },
          { message: 'I want to talk to a human about order {n}.', response: handover, outcome: 'escalated', sentiment: -0.3, count: 12 },
          { message: 'Please let me talk to a human', response: handover, outcome: 'abandoned', sentiment: -0.4, count: 6 },
          {
            message: 'How do I reset my password?',
            response: 'Click "Forgot password" on the sign-in page; the link is valid for an hour.',
            outcome: 'resolved',
            sentiment: 0.5,
            count: 80,
          },
        ]),
      }),
      settings: { minInteractionsForLearning: 10 },
    });
    const findings = await analyzer.analyze(context);
    const failure = findings.find((f) => f.fingerprint.startsWith('learning:failure:'))!;
    expect(failure.title).toMatch(/^Failure mode: talk to a human \(100% go badly\), e\.g\. “Can I talk to a human\?”$/);
    expect(failure.summary).toMatch(/^48 interactions asked about “talk to a human”/);
    const quotes = failure.evidence.filter((e) => e.label.startsWith('question')).map((e) => String(e.value));
    expect(quotes).toHaveLength(3);
    expect(quotes.filter((q) => q.includes('about order'))).toHaveLength(1);
    expect(new Set(quotes).size).toBe(3);
  });
});
