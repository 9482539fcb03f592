import { describe, expect, it } from 'vitest';
import { learnFromInteractions } from '../../../src/analyzers/learning/learning-report.ts';
import type { InteractionText, InteractionTypeStats } from '../../../src/ports/warehouse.ts';
import { createMemoryWarehouse } from '../../helpers/memory-warehouse.ts';
import { DAY, plantedDay } from './planted-interactions.ts';

const noTexts = { rows: [] as InteractionText[], total: 0, cap: 2000, capped: false };

describe('the learning report', () => {
  it('counts outcomes by interaction type from the warehouse aggregates, with the bad-outcome baseline', () => {
    const stats: InteractionTypeStats[] = [
      { interactionType: 'chat', interactions: 10, meanSentiment: 0.2, outcomes: { resolved: 6, escalated: 3, unknown: 1 } },
      {
        interactionType: 'email',
        interactions: 30,
        meanSentiment: null,
        outcomes: { Resolved: 20, 'Not Resolved': 3, abandoned: 3, pending: 4 },
      },
    ];
    const report = learnFromInteractions(stats, noTexts);
    expect(
      report.byInteractionType.map(({ interactionType, goodOutcomes, badOutcomes, badOutcomeRate }) => ({
        interactionType,
        goodOutcomes,
        badOutcomes,
        badOutcomeRate,
      })),
    ).toEqual([
      { interactionType: 'chat', goodOutcomes: 6, badOutcomes: 3, badOutcomeRate: 0.3 },
      { interactionType: 'email', goodOutcomes: 20, badOutcomes: 6, badOutcomeRate: 0.2 },
    ]);
    expect(report.interactions).toBe(40);
    expect(report.badOutcomeRate).toBe(9 / 40);
  });

  it('measures outcome and sentiment by topic on the planted day', async () => {
    const warehouse = createMemoryWarehouse({ interactions: plantedDay() });
    const report = learnFromInteractions(await warehouse.interactionStats(DAY), await warehouse.interactionTexts(DAY, 2000));
    const refund = report.topics.find((t) => t.label.includes('refund'))!;
    expect(refund).toMatchObject({
      interactions: 20,
      badOutcomes: 18,
      goodOutcomes: 2,
      negativeSentiment: 18,
      positiveSentiment: 2,
      uncertainAnswers: 18,
      successful: 2,
    });
    expect(refund.outcomes).toEqual({ unresolved: 12, escalated: 6, resolved: 2 });
    expect(refund.meanSentiment).toBeCloseTo((18 * -0.5 + 2 * 0.6) / 20, 12);
    // Topics are clustered on question and answer together, so the 15 one-off questions, which all
    // got the same generic answer, make one topic of 15 (neither a gap nor a failure: no outcome).
    expect(report.topics.map((t) => t.interactions)).toEqual([30, 25, 20, 15, 15, 15]);
    expect(report.gaps.map((g) => g.topic.id)).toEqual([refund.id]);
    expect(report.failures).toEqual([]);
    expect(report.successes).toHaveLength(4);
  });
});
