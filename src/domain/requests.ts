import type { EvidenceItem, ExecutionResult, PatchTrial, Priority, ProposalStatus, PullRequestLink } from './proposal.ts';

/** What a caller asks the store to do to a proposal; the core plans the write (transition.ts), a store applies it. */

/** A request to move a proposal along its lifecycle. */
export interface TransitionRequest {
  id: string;
  to: ProposalStatus;
  actor: string;
  reason?: string;
  /**
   * Unique key of this request: one per click or call, not per person (a Slack action_ts + user, an
   * HTTP Idempotency-Key scoped by proposal and action, a cycle id + proposal). Keys are global and
   * remembered for 24 hours: a request whose key was applied before answers 'duplicate' with the
   * proposal as it is now instead of applying twice, which makes a re-sent command after a lost
   * reply safe. A refused request does not use up its key.
   */
  idempotencyKey: string;
  /** The status the caller saw. If the proposal has moved on since, the store throws ConflictError. */
  expectedStatus?: ProposalStatus;
  /** The version the caller saw. If it differs, the store throws ConflictError (a fencing check). */
  expectedVersion?: number;
  /** Fields written together with the move, atomically. */
  changes?: TransitionChanges;
}

export interface TransitionChanges {
  execution?: ExecutionResult;
  approvedPatchHash?: string;
  autoExecute?: boolean;
  pullRequest?: PullRequestLink;
}

/**
 * A history entry that does not move the status: a pull request opened, a check finished, a review.
 * Idempotent by key like a transition (a code host's delivery id), so a replayed event is recorded once.
 */
export interface NoteRequest {
  id: string;
  actor: string;
  /** The history action, e.g. 'pull_request_opened', 'checks_completed', 'review_submitted'. */
  action: string;
  reason?: string;
  idempotencyKey: string;
  changes?: NoteChanges;
}

/**
 * Fields a note may write with its entry: the pull request it follows, or a revision's new patch
 * (with its trial, and on an implemented branch the new commit) written together with its entry.
 */
export interface NoteChanges extends Pick<TransitionChanges, 'pullRequest' | 'execution' | 'approvedPatchHash' | 'autoExecute'> {
  patch?: string;
  changesTests?: boolean;
  preflight?: PatchTrial;
}

/** New content for a finding seen again; the proposal keeps its id, status and history. */
export interface ProposalRefresh {
  title?: string;
  summary?: string;
  evidence?: EvidenceItem[];
  priority?: Priority;
  /** The finding's size now, so a later rejection is compared with what it was when rejected. */
  magnitude?: number;
}

export interface RefreshRequest {
  id: string;
  actor: string;
  reason?: string;
  expectedVersion: number;
  refresh: ProposalRefresh;
}
