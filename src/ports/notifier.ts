import type { ChangeOutcome } from '../domain/outcome.ts';
import type { Proposal } from '../domain/proposal.ts';

/** One step of an execution, for a progress line in the proposal's Slack thread. */
export interface ExecutionStep {
  /** e.g. 'worktree', 'rails', 'apply', 'tests', 'commit', 'push', 'cleanup' */
  stage: string;
  detail?: string;
}

/**
 * Told after every stored change of a proposal so views (a Slack message, the App Home) can re-render,
 * whichever surface made the change. A notifier failure never undoes or fails the change itself.
 */
export interface ProposalNotifier {
  proposalChanged(proposal: Proposal, change: { action: string; actor: string }): Promise<void>;
  /** Progress of a running execution; optional, and never awaited by the executor's critical path for long. */
  executionProgress?(proposal: Proposal, step: ExecutionStep): Promise<void>;
  /** A before/after verdict on an implemented change; a "worse" one should offer its rollback. Optional. */
  changeOutcome?(proposal: Proposal, outcome: ChangeOutcome): Promise<void>;
}
