import type { Executor } from '../../src/ports/executor.ts';
import type { ProposalStore } from '../../src/ports/store.ts';

/**
 * A stand-in for the git executor where the test is about who executes, not how: it walks the
 * lifecycle the way the executor does (approved → executing → implemented, implemented →
 * rolled_back), optionally taking `delayMs` in the middle, and counts its runs.
 */
export function walkingExecutor(store: ProposalStore, options: { delayMs?: number } = {}): Executor & { executed: string[] } {
  const executed: string[] = [];
  return {
    executed,
    async execute(p, request) {
      const started = await store.transition({
        id: p.id,
        to: 'executing',
        actor: request.actor,
        idempotencyKey: `${request.idempotencyKey}:start`,
        expectedStatus: 'approved',
      });
      executed.push(p.id);
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      return (
        await store.transition({
          id: p.id,
          to: 'implemented',
          actor: request.actor,
          idempotencyKey: `${request.idempotencyKey}:done`,
          expectedVersion: started.proposal.version,
        })
      ).proposal;
    },
    async rollback(p, request) {
      return (
        await store.transition({
          id: p.id,
          to: 'rolled_back',
          actor: request.actor,
          reason: request.reason,
          idempotencyKey: request.idempotencyKey,
          expectedStatus: 'implemented',
        })
      ).proposal;
    },
  };
}
