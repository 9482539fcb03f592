import type { Proposal } from '../domain/proposal.ts';

export interface ExecutionRequest {
  actor: string;
  /** One per click or call: the same key never starts a second execution. */
  idempotencyKey: string;
}

/** What trying a patch in a throwaway worktree showed, before anyone is asked to approve it. */
export interface PatchTrial {
  /** false when the rails refused the patch or its tests failed. */
  passed: boolean;
  /** One line: "12 passed", "refused: touches .github/workflows/ci.yml", "tests failed (exit 1)". */
  summary: string;
  outputTail?: string;
  at: string;
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
  /** Tries a patch in a throwaway worktree (rails, apply, tests) without recording anything. */
  tryPatch?(patch: string): Promise<PatchTrial>;
}
