import { createHash } from 'node:crypto';
import { ExecutorUnavailable, ProposalNotFound, ValidationError } from '../domain/errors.ts';
import { assertTransition } from '../domain/lifecycle.ts';
import { assertVersion } from '../domain/transition.ts';
import type { Proposal, ProposalStatus } from '../domain/proposal.ts';
import type { Executor } from '../ports/executor.ts';
import type { ProposalNotifier } from '../ports/notifier.ts';
import { publishKnowledge, withdrawKnowledge } from './knowledge-publishing.ts';
import { notifyAll } from './notify-all.ts';
import type { ProposalStore, TransitionResult } from '../ports/store.ts';
import type { Logger } from '../logging.ts';

export interface DecisionDeps {
  store: ProposalStore;
  executor?: Executor;
  notifiers?: ProposalNotifier[];
  logger: Logger;
}

interface Decision {
  id: string;
  actor: string;
  /** Same key, same result: a retried request never applies twice. */
  idempotencyKey: string;
  /** The version the person looked at, when the surface knows it (a Slack message, a dashboard form). */
  expectedVersion?: number;
}

export function patchHash(patch: string): string {
  return createHash('sha256').update(patch, 'utf8').digest('hex');
}

/**
 * The decisions people make, shared by every surface (HTTP API, CLI, Slack, dashboard), so that the
 * same rules and the same atomic store transitions apply wherever the click comes from.
 */
export function createDecisions(deps: DecisionDeps) {
  const { store, logger } = deps;
  // Executions answered before they finished (startExecution) and notifications still run; shutdown waits for them.
  const running = new Set<Promise<unknown>>();

  async function load(id: string): Promise<Proposal> {
    const proposal = await store.get(id);
    if (!proposal) throw new ProposalNotFound(id);
    return proposal;
  }

  /**
   * Tells the notifiers without making the decision wait for them: a Slack channel's paced queue or a
   * Slack outage must not hold an API answer or a click's feedback. settled() (shutdown) waits for them.
   */
  function notify(result: TransitionResult, actor: string): void {
    if (result.outcome !== 'applied') return;
    const last = result.proposal.history[result.proposal.history.length - 1];
    const told = notifyAll(deps.notifiers, result.proposal, { action: last?.action ?? 'changed', actor }, logger);
    running.add(told);
    void told.finally(() => running.delete(told));
  }

  async function move(
    decision: Decision,
    to: ProposalStatus,
    extra: { reason?: string; changes?: Parameters<ProposalStore['transition']>[0]['changes'] },
    expectedStatus: ProposalStatus,
  ): Promise<TransitionResult> {
    const result = await store.transition({
      id: decision.id,
      to,
      actor: decision.actor,
      idempotencyKey: decision.idempotencyKey,
      expectedStatus,
      ...(decision.expectedVersion !== undefined ? { expectedVersion: decision.expectedVersion } : {}),
      ...extra,
    });
    logger.info({ proposalId: decision.id, to, actor: decision.actor, outcome: result.outcome }, 'proposal decision');
    notify(result, decision.actor);
    return result;
  }

  return {
    /** Whether an executor is wired: without one, nothing should be approved on the policy's authority. */
    canExecute: () => Boolean(deps.executor),

    /** Whether the executor has an editing agent for proposals without a patch (what executeAvailability asks). */
    hasAgent: () => deps.executor?.hasAgent === true,

    /** pending → approved, or failed → approved (a retry). Binds the approval to the patch as it is now. */
    async approve(decision: Decision & { autoExecute?: boolean }): Promise<TransitionResult> {
      const current = await load(decision.id);
      const changes = {
        ...(current.patch ? { approvedPatchHash: patchHash(current.patch) } : {}),
        // Written on every approval: a re-approval after a failed run must not inherit an earlier
        // policy approval's flag and be executed by the hourly job without anyone pressing Execute.
        autoExecute: decision.autoExecute ?? false,
      };
      return move(decision, 'approved', { changes }, current.status);
    },

    async reject(decision: Decision & { reason: string }): Promise<TransitionResult> {
      const reason = decision.reason?.trim();
      if (!reason) throw new ValidationError('A rejection needs a reason');
      if (reason.length > 2000) throw new ValidationError('A rejection reason is at most 2000 characters');
      const current = await load(decision.id);
      return move(decision, 'rejected', { reason }, current.status);
    },

    /**
     * Hands an approved proposal to the executor, which moves it to executing and then to implemented
     * or failed; a learning proposal publishes its knowledge entry instead and touches no code.
     */
    async execute(decision: Decision): Promise<Proposal> {
      const current = await load(decision.id);
      assertVersion(current, decision.expectedVersion);
      assertTransition(current.id, current.status, 'executing');
      if (current.type === 'learning')
        return publishKnowledge(current, { actor: decision.actor, idempotencyKey: decision.idempotencyKey }, { store, moved: notify });
      if (!deps.executor) {
        throw new ExecutorUnavailable('No executor is configured: this installation cannot execute changes yet');
      }
      return deps.executor.execute(current, { actor: decision.actor, idempotencyKey: decision.idempotencyKey });
    },

    /**
     * Starts an execution and waits at most `waitMs` for it: a surface that must answer quickly (an
     * HTTP request, a dashboard form) gets the final proposal when it was quick, else the proposal as
     * it is now (executing) while the execution goes on. Refusals (unknown id, illegal transition,
     * no executor, stale version) are thrown at once, as from execute().
     */
    async startExecution(decision: Decision, waitMs = 2000): Promise<{ finished: boolean; proposal: Proposal }> {
      const done = this.execute(decision);
      let answered = false;
      // A refusal in the first moment is the caller's answer; only a later failure needs a log line of its own.
      const tracked = done.catch(
        (error: unknown) =>
          answered && logger.error({ err: error, proposalId: decision.id }, 'execution failed after its request was answered'),
      );
      running.add(tracked);
      void tracked.finally(() => running.delete(tracked));
      let timer: NodeJS.Timeout | undefined;
      const quick = await Promise.race([
        done.then((proposal) => ({ finished: true, proposal })),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs))),
      ]).finally(() => clearTimeout(timer));
      if (quick) return quick;
      answered = true;
      return { finished: false, proposal: await load(decision.id) };
    },

    /** Resolves when every execution started by startExecution, and every notification, has finished. */
    async settled(): Promise<void> {
      await Promise.allSettled([...running]);
    },

    /** implemented → rolled_back through the executor, which reverts the change on its branch first (a learning proposal: withdraws its entry). */
    async rollback(decision: Decision & { reason: string }): Promise<Proposal> {
      const reason = decision.reason?.trim();
      if (!reason) throw new ValidationError('A rollback needs a reason');
      if (reason.length > 2000) throw new ValidationError('A rollback reason is at most 2000 characters');
      const current = await load(decision.id);
      assertVersion(current, decision.expectedVersion);
      assertTransition(current.id, current.status, 'rolled_back');
      if (current.type === 'learning')
        return withdrawKnowledge(
          current,
          { actor: decision.actor, idempotencyKey: decision.idempotencyKey, reason },
          { store, moved: notify },
        );
      if (!deps.executor) {
        throw new ExecutorUnavailable('No executor is configured: this installation cannot roll changes back');
      }
      return deps.executor.rollback(current, { actor: decision.actor, idempotencyKey: decision.idempotencyKey, reason });
    },
  };
}

export type Decisions = ReturnType<typeof createDecisions>;
