import type { Logger } from '../../logging.ts';
import type { Proposal } from '../../domain/proposal.ts';
import type { ProposalNotifier } from '../../ports/notifier.ts';
import type { AgentExecutionRecord } from '../../ports/warehouse.ts';
import { notifyAll } from '../../proposals/notify-all.ts';

/**
 * Tells everyone who follows an execution about each step: the log, the notifiers' progress lines
 * and the warehouse's agent_executions table. None of them can fail or slow the execution: their
 * errors are logged, and progress is not awaited.
 */
export function createExecutionReporter(deps: {
  logger: Logger;
  notifiers: ProposalNotifier[];
  recordExecution: ((record: AgentExecutionRecord) => Promise<void>) | undefined;
  clock: () => Date;
}) {
  return {
    step(proposal: Proposal, actor: string, stage: string, detail = ''): void {
      deps.logger.info({ proposalId: proposal.id, stage, detail }, 'execution step');
      for (const notifier of deps.notifiers) {
        notifier.executionProgress?.(proposal, { stage, ...(detail ? { detail } : {}) }).catch((error: unknown) => {
          deps.logger.warn({ err: error, proposalId: proposal.id, stage }, 'a progress notifier failed; the execution goes on');
        });
      }
      if (deps.recordExecution) {
        deps
          .recordExecution({ proposalId: proposal.id, status: stage, actor, detail: detail.slice(0, 4000), timestamp: deps.clock() })
          .catch((error: unknown) =>
            deps.logger.warn({ err: error, proposalId: proposal.id, stage }, 'recording the execution step failed; the execution goes on'),
          );
      }
    },

    changed(proposal: Proposal, action: string, actor: string): Promise<void> {
      return notifyAll(deps.notifiers, proposal, { action, actor }, deps.logger);
    },
  };
}

export type ExecutionReporter = ReturnType<typeof createExecutionReporter>;
