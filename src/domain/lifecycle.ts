import { IllegalTransition } from './errors.ts';
import type { ProposalStatus } from './proposal.ts';

/**
 * The only moves a proposal may make. Everything else is refused with IllegalTransition.
 * failed → approved is the retry path; implemented → rolled_back undoes an executed change.
 */
export const TRANSITIONS: Readonly<Record<ProposalStatus, readonly ProposalStatus[]>> = {
  pending: ['approved', 'rejected'],
  approved: ['executing'],
  executing: ['implemented', 'failed'],
  failed: ['approved'],
  implemented: ['rolled_back'],
  rejected: [],
  rolled_back: [],
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
};

export function canTransition(from: ProposalStatus, to: ProposalStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(proposalId: string, from: ProposalStatus, to: ProposalStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransition(proposalId, from, to, TRANSITIONS[from]);
}
