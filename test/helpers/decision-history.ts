import type { Priority } from '../../src/domain/proposal.ts';
import type { ProposalStore } from '../../src/ports/store.ts';
import { makeDraft } from './drafts.ts';

const PRIORITIES: Priority[] = ['low', 'medium', 'high', 'critical'];

/**
 * A stored history of a team that approves every checkout bug, whatever its priority, and rejects
 * every legacy docs cleanup, plus two pending proposals the fixed rule orders the other way round.
 */
export async function plantCheckoutTeam(store: ProposalStore, pairs = 20): Promise<{ lowCheckoutBug: string; criticalDocs: string }> {
  for (let i = 0; i < pairs; i += 1) {
    const bug = await store.create(
      makeDraft({
        type: 'bug_fix',
        priority: PRIORITIES[i % 4]!,
        title: `Checkout bug ${i}`,
        subject: { files: ['src/checkout/pay.ts'] },
        magnitude: 20 + i,
      }),
      { actor: 'cycle:daily' },
    );
    const docs = await store.create(
      makeDraft({
        type: 'code_quality',
        category: 'docs',
        priority: PRIORITIES[3 - (i % 4)]!,
        title: `Legacy docs ${i}`,
        subject: { files: ['src/legacy/old.ts'] },
        magnitude: 500 + i,
      }),
      { actor: 'cycle:daily' },
    );
    await store.transition({ id: bug.id, to: 'approved', actor: 'U1', idempotencyKey: `plant:${bug.id}` });
    await store.transition({ id: docs.id, to: 'rejected', actor: 'U1', reason: 'not useful', idempotencyKey: `plant:${docs.id}` });
  }
  const criticalDocs = await store.create(
    makeDraft({
      type: 'code_quality',
      category: 'docs',
      priority: 'critical',
      title: 'Document the legacy exporter',
      subject: { files: ['src/legacy/export.ts'] },
      magnitude: 900,
    }),
    { actor: 'cycle:daily' },
  );
  const lowCheckoutBug = await store.create(
    makeDraft({
      type: 'bug_fix',
      priority: 'low',
      title: 'Empty cart crashes checkout',
      subject: { files: ['src/checkout/cart.ts'] },
      magnitude: 10,
    }),
    { actor: 'cycle:daily' },
  );
  return { lowCheckoutBug: lowCheckoutBug.id, criticalDocs: criticalDocs.id };
}
