import type { Proposal } from '../domain/proposal.ts';

/**
 * Told after every stored change of a proposal so views (a Slack message, the App Home) can re-render,
 * whichever surface made the change. A notifier failure never undoes or fails the change itself.
 */
export interface ProposalNotifier {
  proposalChanged(proposal: Proposal, change: { action: string; actor: string }): Promise<void>;
}
