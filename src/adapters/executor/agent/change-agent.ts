import type { Proposal } from '../../../domain/proposal.ts';

/** What the editing agent did; its edits are in the worktree, where the rails judge them like a patch. */
export interface ChangeAgentResult {
  summary: string;
  turns: number;
  tokens: number;
  stoppedBecause: 'done' | 'turn-limit' | 'token-budget';
}

/**
 * Writes the change for a proposal that has no patch, by editing files in the worktree with tools
 * confined to it. The executor then stages whatever it did and runs the same rails as for a patch.
 */
export interface ChangeAgent {
  edit(proposal: Proposal, worktree: string): Promise<ChangeAgentResult>;
}
