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
  /**
   * An implemented proposal's revised patch, tried like any patch on the base its branch started
   * from; only when the trial passes, committed on top of `improvement/<id>` and pushed (a
   * fast-forward: the pull request follows). A failed trial leaves the branch as it was.
   */
  reviseBranch?(proposal: Proposal, patch: string, request: BranchRevisionRequest): Promise<BranchRevision>;
}

export interface BranchRevisionRequest {
  actor: string;
  /** The commit message's body: what the revision changed. */
  explanation: string;
  changesTests: boolean;
}

/** The trial of a revised patch and, when it passed, the commit it became. */
export interface BranchRevision extends PatchTrial {
  commit?: string;
  diffstat?: string;
}
