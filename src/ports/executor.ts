import type { PatchTrial, Proposal, ProposalDraft } from '../domain/proposal.ts';

export type { PatchTrial };

/** What a proposal says about its patch that the rails weigh: its tests, and for a security proposal its upgrade. */
export type TrialDeclaration = Partial<Pick<ProposalDraft, 'type' | 'changesTests' | 'category' | 'upgrade'>>;

export interface ExecutionRequest {
  actor: string;
  /** One per click or call: the same key never starts a second execution. */
  idempotencyKey: string;
}

/**
 * Applies an approved proposal's change somewhere safe (an isolated worktree and branch of the target
 * repository) and moves it to implemented or failed; never deploys, never touches the user's own tree.
 */
export interface Executor {
  /** approved → executing → implemented | failed. */
  execute(proposal: Proposal, request: ExecutionRequest): Promise<Proposal>;
  /** implemented → rolled_back: reverts the change on its branch (or deletes the unmerged branch). */
  rollback(proposal: Proposal, request: ExecutionRequest & { reason: string }): Promise<Proposal>;
  /** An editing agent writes the change of a proposal without a patch; absent or false: only patches can be executed. */
  readonly hasAgent?: boolean;
  /** Tries a patch in a throwaway worktree (rails, apply, tests) without recording anything. */
  tryPatch?(patch: string, declared?: TrialDeclaration): Promise<PatchTrial>;
}
