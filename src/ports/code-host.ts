import type { PullRequestLink } from '../domain/proposal.ts';

/** What a pull request is opened with: the pushed branch, the base it goes into, and its text. */
export interface PullRequestDraft {
  /** The pushed branch, e.g. `improvement/<id>`. */
  head: string;
  /** The branch it should merge into; absent → the repository's default branch. */
  base?: string;
  title: string;
  body: string;
}

/** The outcome of a pull request's checks on its head commit. */
export interface CheckSummary {
  /** pending while any check runs; failure when any finished unsuccessfully; none when there are no checks. */
  state: 'pending' | 'success' | 'failure' | 'none';
  /** One line for people, e.g. "3 passed, 1 failed (lint)". */
  summary: string;
}

export interface PullRequestReview {
  author: string;
  /** approved, changes_requested, commented or dismissed. */
  state: string;
  body: string;
  submittedAt?: string;
}

export interface PullRequestState {
  number: number;
  url: string;
  state: PullRequestLink['state'];
  head: string;
  headSha: string;
  checks: CheckSummary;
  reviews: PullRequestReview[];
}

/**
 * A code host (GitHub, GitLab) as the core needs it: a pull request per pushed branch, its state,
 * checks and reviews, and comments on it. Every call has a timeout and rejects with CodeHostError.
 */
export interface CodeHost {
  readonly host: PullRequestLink['host'];
  /** Opens the pull request for `draft.head`, or updates the open one: a branch never gets two. */
  openOrUpdatePullRequest(draft: PullRequestDraft): Promise<{ number: number; url: string; created: boolean }>;
  pullRequestState(number: number): Promise<PullRequestState>;
  /** New title and body for a pull request by number (a revision): never opens one. */
  updatePullRequest(number: number, text: { title: string; body: string }): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  /**
   * Whether this user may push to the repository (GitHub: admin, maintain or write permission;
   * GitLab: member access level developer or above). Only such users' comments can ask for a revision.
   */
  hasWriteAccess(user: CodeHostUser): Promise<boolean>;
  /** The head branch of a pull request (an issue comment names only its number). */
  headOf(number: number): Promise<string>;
}

/** Who wrote something on the code host: GitHub names users by login, GitLab's member API by numeric id. */
export interface CodeHostUser {
  login: string;
  id?: number;
}

/**
 * What a code host said about a pull request, from a webhook delivery or a poll, already checked and
 * reduced to what the proposal follows. `key` is unique per happening (the delivery id, or what a
 * poll saw): the same key is applied once.
 */
export type CodeHostEvent =
  | { kind: 'pull_request'; key: string; head: string; number: number; url: string; state: PullRequestState['state']; actor: string }
  | { kind: 'checks'; key: string; head: string; name: string; state: CheckSummary['state']; summary: string }
  | { kind: 'review'; key: string; head: string; number: number; author: string; authorId?: number; state: string; body: string }
  /**
   * An inline review comment on a line of the change (`path`), or a comment on the conversation (no
   * path). `head` is empty when the delivery does not say it (GitHub's issue_comment): ask `headOf`.
   */
  | { kind: 'comment'; key: string; head: string; number: number; author: string; authorId?: number; path?: string; body: string };
