import { describe, expect, it } from 'vitest';
import type { Priority, ProposalType } from '../../../src/domain/proposal.ts';
import { rankPending, rankProposals, storedDecisions, type Decision } from '../../../src/proposals/ranking/pending-ranking.ts';
import type { RankableProposal } from '../../../src/proposals/ranking/ranking-features.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { useEmbeddedStore } from '../../helpers/embedded.ts';

type Planted = RankableProposal & { createdAt: string; name: string };

let clock = 0;
function planted(name: string, type: ProposalType, priority: Priority, file: string, magnitude = 100): Planted {
  clock += 1;
  return {
    name,
    type,
    priority,
    magnitude,
    evidence: [],
    hasPatch: false,
    subject: { files: [file] },
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, clock)).toISOString(),
  };
}

/** A team that fixes every checkout bug, whatever its priority, and turns down every docs cleanup. */
function checkoutTeam(count: number): Decision[] {
  const decisions: Decision[] = [];
  const priorities: Priority[] = ['low', 'medium', 'high', 'critical'];
  for (let i = 0; i < count; i += 1) {
    const priority = priorities[i % 4]!;
    const bug = planted(`bug ${i}`, 'bug_fix', priority, 'src/checkout/pay.ts', 20 + i);
    const docs = planted(`docs ${i}`, 'code_quality', priorities[3 - (i % 4)]!, 'src/legacy/old.ts', 500 + i);
    decisions.push({ proposal: bug, approved: true, weight: 1, decidedAt: bug.createdAt });
    decisions.push({ proposal: docs, approved: false, weight: 1, decidedAt: docs.createdAt });
  }
  return decisions;
}

describe('ranking pending proposals by past decisions', () => {
  const pending = [
    planted('critical docs cleanup', 'code_quality', 'critical', 'src/legacy/other.ts', 900),
    planted('low checkout bug', 'bug_fix', 'low', 'src/checkout/cart.ts', 10),
  ];

  it('keeps the fixed rule (priority, then size) while there are too few decisions, and says so', () => {
    const ranking = rankProposals(pending, checkoutTeam(3), { minDecisions: 20 });
    expect(ranking.method).toBe('rule');
    expect(ranking.basis).toMatch(/6 decisions \(3 approved, 3 rejected\).*needs 20/);
    expect(ranking.ranked.map((r) => r.proposal.name)).toEqual(['critical docs cleanup', 'low checkout bug']);
    expect(ranking.ranked[0]!.why).toBe('priority critical, size 900');
  });

  it('puts what this team approves first once its decisions show a pattern the rule misses, with the reason', () => {
    const ranking = rankProposals(pending, checkoutTeam(20), { minDecisions: 20 });
    expect(ranking.method).toBe('learned');
    expect(ranking.basis).toMatch(/^learned from 40 decisions \(20 approved, 20 rejected\); on the newest 10 decisions the model's AUC is/);
    expect(ranking.ranked.map((r) => r.proposal.name)).toEqual(['low checkout bug', 'critical docs cleanup']);
    expect(ranking.ranked[0]!.score).toBeGreaterThan(0.5);
    expect(ranking.ranked[1]!.score).toBeLessThan(0.5);
    expect(ranking.ranked[0]!.why).toMatch(/% likely approved: .*\+(type bug_fix|area src\/checkout)/);
    expect(ranking.ranked[1]!.why).toMatch(/−(type code_quality|area src\/legacy)/);
  });

  it('stays with the rule for a team that decides by priority, because the model does not beat it on the newest decisions', () => {
    const priorities: Priority[] = ['low', 'medium', 'high', 'critical'];
    const decisions: Decision[] = Array.from({ length: 40 }, (_, i) => {
      const proposal = planted(
        `p${i}`,
        (['bug_fix', 'feature', 'performance'] as const)[i % 3]!,
        priorities[i % 4]!,
        `src/area${i % 5}/x.ts`,
      );
      return { proposal, approved: i % 4 >= 2, weight: 1, decidedAt: proposal.createdAt };
    });
    const ranking = rankProposals(pending, decisions, { minDecisions: 20 });
    expect(ranking.method).toBe('rule');
    expect(ranking.basis).toMatch(/the model's AUC is 1\.00 against the rule's 1\.00/);
  });
});

describe('decisions read from the store', () => {
  const current = useEmbeddedStore();

  async function decide(id: string, to: 'approved' | 'rejected', reason?: string): Promise<void> {
    await current.store.transition({ id, to, actor: 'U1', reason, idempotencyKey: `${id}:${to}` });
  }

  it('labels every approve (whatever came after) and reject, and counts a "not now" rejection less', async () => {
    const { store } = current;
    const shipped = await store.create(makeDraft({ type: 'bug_fix', priority: 'low' }), { actor: 'cycle' });
    const refused = await store.create(makeDraft({ type: 'code_quality', priority: 'high' }), { actor: 'cycle' });
    const later = await store.create(makeDraft({ type: 'feature', priority: 'medium' }), { actor: 'cycle' });
    const waiting = await store.create(makeDraft({ type: 'performance', priority: 'medium' }), { actor: 'cycle' });
    await decide(shipped.id, 'approved');
    await store.transition({ id: shipped.id, to: 'executing', actor: 'U1', idempotencyKey: 'x1' });
    await store.transition({ id: shipped.id, to: 'implemented', actor: 'executor', idempotencyKey: 'x2' });
    await decide(refused.id, 'rejected', 'wrong: this code is generated');
    await decide(later.id, 'rejected', 'Not now, next quarter');

    const decisions = await storedDecisions(store);
    const byId = new Map(decisions.map((d) => [d.proposal.id, d]));
    expect(decisions).toHaveLength(3);
    expect(byId.get(shipped.id)).toMatchObject({ approved: true, weight: 1 });
    expect(byId.get(refused.id)).toMatchObject({ approved: false, weight: 1 });
    expect(byId.get(later.id)).toMatchObject({ approved: false, weight: 0.3 });
    expect(byId.has(waiting.id)).toBe(false);

    const ranking = await rankPending(store, { minDecisions: 20 });
    expect(ranking.method).toBe('rule');
    expect(ranking.ranked.map((r) => r.proposal.id)).toEqual([waiting.id]);
  });
});
