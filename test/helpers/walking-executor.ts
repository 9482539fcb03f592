import type { Executor } from '../../src/ports/executor.ts';
import type { ProposalStore } from '../../src/ports/store.ts';

/**
 * A stand-in for the git executor where the test is about who executes, not how: it walks the
 * lifecycle the way the executor does (approved → executing → implemented) and counts its runs.
 */
export function walkingExecutor(store: ProposalStore): Executor & { executed: string[] } {
  const executed: string[] = [];
  return {
    executed,
    async execute(p, request) {
      const started = await store.transition({ id: p.id, to: 'executing', actor: request.actor, idempotencyKey: `${request.idempotencyKey}:start`, expectedStatus: 'approved' });
      executed.push(p.id);
      return (await store.transition({ id: p.id, to: 'implemented', actor: request.actor, idempotencyKey: `${request.idempotencyKey}:done`, expectedVersion: started.proposal.version })).proposal;
    },
    async rollback() {
      throw new Error('not used here');
    },
  };
}
