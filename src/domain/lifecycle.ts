import { IllegalTransition } from './errors.ts';
import type { ProposalStatus } from './proposal.ts';

/**
 * The only moves a proposal may make. Everything else is refused with IllegalTransition.
 * failed → approved is the retry path; implemented → rolled_back undoes an executed change.
 * implemented → merged when its pull request is merged on the code host (terminal: the change is in
 * the base branch). A pull request closed unmerged moves implemented → rolled_back: nothing of the
 * change reached the base branch, and a rolled-back finding is filed again by the next cycle, which
 * puts it back before people as a new decision (docs/PULL_REQUESTS.md).
 */
export const TRANSITIONS: Readonly<Record<ProposalStatus, readonly ProposalStatus[]>> = {
  pending: ['approved', 'rejected'],
  approved: ['executing'],
  executing: ['implemented', 'failed'],
  failed: ['approved'],
  implemented: ['rolled_back', 'merged'],
  rejected: [],
  rolled_back: [],
  merged: [],
};

/** The verb recorded in history and shown to people for each target status. */
export const ACTION_FOR: Readonly<Record<ProposalStatus, string>> = {
  pending: 'created',
  approved: 'approved',
  rejected: 'rejected',
  executing: 'execution_started',
  implemented: 'implemented',
  failed: 'execution_failed',
  rolled_back: 'rolled_back',
  merged: 'merged',
};

export function canTransition(from: ProposalStatus, to: ProposalStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(proposalId: string, from: ProposalStatus, to: ProposalStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransition(proposalId, from, to, TRANSITIONS[from]);
}
