import { describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import type { Proposal, ProposalDraft } from '../../../src/domain/proposal.ts';
import { publishKnowledge } from '../../../src/proposals/knowledge-publishing.ts';
import { describeOutcome, measureOutcomes } from '../../../src/proposals/outcomes/measure-outcomes.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { makeStoreDir } from '../../helpers/embedded.ts';
import { createMemoryWarehouse, type InteractionRow } from '../../helpers/memory-warehouse.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHANGED = new Date('2026-01-15T00:00:00Z');
const NOW = new Date(CHANGED.getTime() + 8 * DAY);

/**
 * `n` interactions spread evenly over the week before (side 'before') or after the change; the
 * i-th asks `message(i)` and ends `outcome(i)`.
 */
function week(side: 'before' | 'after', n: number, message: (i: number) => string, outcome: (i: number) => string): InteractionRow[] {
  const from = side === 'before' ? CHANGED.getTime() - 7 * DAY : CHANGED.getTime();
  return Array.from({ length: n }, (_, i) => ({
    customerId: `c${i % 37}`,
    interactionType: 'chat',
    message: message(i),
    response: 'Let me look into that.',
    outcome: outcome(i),
    sentiment: 0,
    timestamp: new Date(from + ((i + 0.5) * 7 * DAY) / n),
  }));
}

/** The first `bad` of every 100 end escalated, the rest resolved: a planted bad-outcome rate. */
const badPercent = (bad: number) => (i: number) => (i % 100 < bad ? 'escalated' : 'resolved');

async function implemented(dir: string, drafts: ProposalDraft[]): Promise<Proposal[]> {
  const store = createEmbeddedStore({ file: dir, now: () => CHANGED });
  try {
    const filed: Proposal[] = [];
    for (const draft of drafts) {
      const p = await store.create(draft, { actor: 'cycle' });
      if (draft.knowledge) {
        // A learning proposal is executed as people execute it: its knowledge entry is published.
        const approved = await store.transition({ id: p.id, to: 'approved', actor: 'u', idempotencyKey: `${p.id}-approved` });
        await publishKnowledge(
          approved.proposal,
          { actor: 'u', idempotencyKey: `${p.id}-execute` },
          { store, moved: () => {}, now: () => CHANGED },
        );
      } else {
        for (const to of ['approved', 'executing', 'implemented'] as const)
          await store.transition({ id: p.id, to, actor: 'u', idempotencyKey: `${p.id}-${to}` });
      }
      filed.push(p);
    }
    return filed;
  } finally {
    await store.close();
  }
}

const topic = (phrase: string, words: string): ProposalDraft['evidence'] => [
  { label: 'topic', value: phrase },
  { label: 'distinctive words', value: words },
];
const theme = (phrase: string, words: string): ProposalDraft['evidence'] => [
  { label: 'theme', value: phrase },
  { label: 'distinctive words', value: words },
];

describe('did a learning or feature proposal help', () => {
  it("learning: the topic's bad-outcome rate falls where the published answer helped, and holds where it did not", async () => {
    const human = (i: number) => (i % 2 ? `Can I talk to a human about order ${i}?` : 'I want to talk to a real person');
    const refund = (i: number) => `Can I get a refund for my annual plan? (${i})`;
    const warehouse = createMemoryWarehouse({
      interactions: [
        // Planted effect: 60% escalated before the answer was published, 20% after.
        ...week('before', 200, human, badPercent(60)),
        ...week('after', 200, human, badPercent(20)),
        // Planted non-effect: 30% before and after.
        ...week('before', 200, refund, badPercent(30)),
        ...week('after', 200, refund, badPercent(30)),
        // One label word is not the topic: these all fail after, and must not count.
        ...week(
          'after',
          300,
          (i) => `Where is the human resources page ${i}?`,
          () => 'escalated',
        ),
        // Another topic altogether.
        ...week(
          'after',
          300,
          (i) => `Where is my order ${i}?`,
          () => 'failed',
        ),
      ],
    });
    const dir = await makeStoreDir();
    const [helped, same, quiet] = await implemented(dir.file, [
      makeDraft({
        type: 'learning',
        evidence: topic('talk to a human', 'human, talk, person'),
        knowledge: { category: 'human-person-talk', key: 'k-human', content: { answer: 'Type "agent" to reach a person.' } },
      }),
      makeDraft({ type: 'learning', evidence: topic('annual plan', 'annual, refund') }),
      makeDraft({ type: 'learning', evidence: topic('gift cards', 'gift, card') }),
    ]);
    const store = createEmbeddedStore({ file: dir.file });
    try {
      const results = new Map((await measureOutcomes({ store, warehouse, now: NOW })).map((r) => [r.proposalId, r]));
      const better = results.get(helped!.id)!.outcome!;
      expect(better).toMatchObject({
        verdict: 'improved',
        test: 'fisher-exact',
        before: 60,
        after: 20,
        marker: 'implemented',
        changedAt: CHANGED.toISOString(),
        markedBy: 'knowledge:human-person-talk:k-human was published',
      });
      expect(better.effect.kind).toBe('difference');
      expect(better.effect.estimate).toBeCloseTo(-0.4, 9);
      expect(better.effect.low).toBeLessThan(-0.4);
      expect(better.effect.high).toBeGreaterThan(-0.4);
      expect(better.effect.high).toBeLessThan(0);
      expect(better.pValue).toBeLessThan(1e-6);
      expect(better.measure).toBe(
        'bad-outcome rate of interactions about “talk to a human” (human, talk, person), 120 of 200 before, 40 of 200 after',
      );
      expect(describeOutcome(better)).toMatch(
        /^improved: .* 60 → 20 % \(-40\.0 pts, 95% CI -4\d\.\d pts–-3\d\.\d pts, p < 0\.001, 7 days each side\)$/,
      );

      const unchanged = results.get(same!.id)!.outcome!;
      expect(unchanged).toMatchObject({ verdict: 'no change', before: 30, after: 30 });
      expect(unchanged.pValue).toBeGreaterThan(0.5);
      expect(unchanged.effect.low).toBeLessThan(0);
      expect(unchanged.effect.high).toBeGreaterThan(0);

      expect(results.get(quiet!.id)).toMatchObject({
        state: 'not measurable',
        detail: 'too few interactions about the topic: 0 before, 0 after (needs 20 each)',
      });
    } finally {
      await store.close();
      await dir.remove();
    }
  });

  it('feature: fewer requests for a shipped theme is improved, a held rate is no change, and how-to questions are not requests', async () => {
    const warehouse = createMemoryWarehouse({
      interactions: [
        // Planted effect: 120 requests a week before CSV export shipped, 15 after.
        ...week(
          'before',
          120,
          (i) => `Please add CSV export for orders ${i}`,
          () => 'resolved',
        ),
        ...week(
          'after',
          15,
          (i) => `Please add CSV export for orders ${i}`,
          () => 'resolved',
        ),
        // Questions about the shipped feature rise, and are no requests: counted, they would read as worse.
        ...week(
          'before',
          5,
          (i) => `How do I export orders to CSV? ${i}`,
          () => 'resolved',
        ),
        ...week(
          'after',
          200,
          (i) => `How do I export orders to CSV? ${i}`,
          () => 'resolved',
        ),
        // Planted non-effect: dark mode asked for as often after as before.
        ...week(
          'before',
          60,
          (i) => `Could you add dark mode to the web app? ${i}`,
          () => 'resolved',
        ),
        ...week(
          'after',
          58,
          (i) => `Could you add dark mode to the web app? ${i}`,
          () => 'resolved',
        ),
      ],
    });
    const dir = await makeStoreDir();
    const [csv, dark] = await implemented(dir.file, [
      makeDraft({ type: 'feature', evidence: theme('CSV export', 'csv, export') }),
      makeDraft({ type: 'feature', evidence: theme('dark mode', 'dark, mode') }),
    ]);
    const store = createEmbeddedStore({ file: dir.file });
    try {
      const results = new Map((await measureOutcomes({ store, warehouse, now: NOW })).map((r) => [r.proposalId, r.outcome!]));
      const shipped = results.get(csv!.id)!;
      expect(shipped).toMatchObject({ verdict: 'improved', test: 'poisson-rate', before: 120, after: 15, unit: 'requests' });
      expect(shipped.effect.estimate).toBeCloseTo(0.125, 9);
      expect(shipped.effect.high).toBeLessThan(1);
      expect(shipped.measure).toBe('requests for “CSV export” (csv, export), 17.1 a day before, 2.1 after');
      const held = results.get(dark!.id)!;
      expect(held).toMatchObject({ verdict: 'no change', before: 60, after: 58 });
      expect(held.effect.low).toBeLessThan(1);
      expect(held.effect.high).toBeGreaterThan(1);
    } finally {
      await store.close();
      await dir.remove();
    }
  });
});
