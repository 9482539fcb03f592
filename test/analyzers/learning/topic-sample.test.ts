import { describe, expect, it } from 'vitest';
import { topicSample } from '../../../src/analyzers/learning/topic-sample.ts';
import { annotate } from '../../../src/analyzers/learning/topic-stats.ts';
import type { InteractionText } from '../../../src/ports/warehouse.ts';

function interaction(i: number, kind: 'unsure' | 'bad' | 'good'): InteractionText {
  return {
    customerId: `c-${i}`,
    interactionType: 'support',
    message: `question ${i}`,
    response: kind === 'unsure' ? "I'm not sure, let me check." : 'Here is how.',
    outcome: kind === 'good' ? 'resolved' : 'escalated',
    sentiment: 0,
    metadata: {},
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, i)),
  };
}

// 20 unsure answers, 200 other bad outcomes, 1780 good ones.
const rows = Array.from({ length: 2000 }, (_, i) => interaction(i, i < 20 ? 'unsure' : i < 220 ? 'bad' : 'good')).map(annotate);

describe('choosing the conversations the topic clustering sees', () => {
  it('takes every conversation when they fit', () => {
    expect(topicSample(rows.slice(0, 50), 100)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('oversamples the rare problems: every unsure answer, a third bad outcomes, the rest good', () => {
    const sample = topicSample(rows, 300);
    expect(sample).toHaveLength(300);
    expect(sample.filter((i) => i < 20)).toHaveLength(20);
    expect(sample.filter((i) => i >= 20 && i < 220)).toHaveLength(100);
    expect(sample.filter((i) => i >= 220)).toHaveLength(180);
  });

  it('picks the same conversations whatever order the warehouse returned them in', () => {
    const reversed = [...rows].reverse();
    const picked = (list: typeof rows) =>
      topicSample(list, 300)
        .map((i) => list[i]!.message)
        .sort();
    expect(picked(reversed)).toEqual(picked(rows));
  });
});
