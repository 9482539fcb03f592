/** Typed errors of the core. Adapters map them to HTTP statuses and Slack text, each in one place. */

export class DomainError extends Error {
  override name = 'DomainError';
}

export class ProposalNotFound extends DomainError {
  override name = 'ProposalNotFound';
  constructor(readonly proposalId: string) {
    super(`No proposal with id "${proposalId}"`);
  }
}

/** The requested move is not in the lifecycle at all, e.g. rejected → approved. */
export class IllegalTransition extends DomainError {
  override name = 'IllegalTransition';
  constructor(
    readonly proposalId: string,
    readonly from: string,
    readonly to: string,
    readonly allowed: readonly string[],
  ) {
    super(
      `Proposal ${proposalId} cannot go from ${from} to ${to}; from ${from} it can go to ${
        allowed.length ? allowed.join(', ') : 'nothing (it is final)'
      }`,
    );
  }
}

/** Someone else changed the proposal first: the caller's view (status or version) is stale. */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(
    readonly proposalId: string,
    message: string,
    readonly currentStatus?: string,
    readonly currentVersion?: number,
  ) {
    super(message);
  }
}

/**
 * Another change holds the target repository (one execution per repository, across replicas) and
 * did not let go within the wait: nothing was changed, and the same click later will work. Not a
 * ConflictError: the proposal itself is as the caller saw it.
 */
export class RepositoryBusy extends DomainError {
  override name = 'RepositoryBusy';
  static readonly MESSAGE = 'Another change is running on this repository; try again in a few minutes. Nothing was changed.';
  constructor(
    readonly proposalId: string,
    readonly retryAfterSeconds = 120,
  ) {
    super(RepositoryBusy.MESSAGE);
  }
}

/** Bad input from a caller: the adapters turn it into a 400 or a usage error. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
}

/** The store could not be reached or answered too slowly; the caller may retry later. */
export class StoreUnavailable extends DomainError {
  override name = 'StoreUnavailable';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** A policy rule refused the action (approval needed, quota used up, ...). */
export class PolicyViolation extends DomainError {
  override name = 'PolicyViolation';
}

/** No executor is wired, or it is switched off: execution cannot start. */
export class ExecutorUnavailable extends DomainError {
  override name = 'ExecutorUnavailable';
}

/** A cycle was asked for while another one runs in this process. */
export class CycleAlreadyRunning extends DomainError {
  override name = 'CycleAlreadyRunning';
}

/** The message of anything thrown: an Error's message, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A code host (GitHub, GitLab) refused, timed out or kept rate-limiting a call. `status` is the HTTP
 * status when there was an answer. The change the call was about stands; only the pull request lags.
 */
export class CodeHostError extends DomainError {
  override name = 'CodeHostError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A revision was asked of a proposal that has no patch to revise now (unknown state, rejected, merged, a closed pull request). */
export class NotRevisable extends DomainError {
  override name = 'NotRevisable';
  constructor(
    readonly proposalId: string,
    message: string,
  ) {
    super(message);
  }
}

/** This installation cannot revise patches: no writer that can (Claude needs ANTHROPIC_API_KEY), or no executor to try them. */
export class RevisionUnavailable extends ExecutorUnavailable {
  override name = 'RevisionUnavailable';
}

/** The writer could not produce a usable revised patch (the API failed, the answer was unusable twice). */
export class RevisionFailed extends DomainError {
  override name = 'RevisionFailed';
}
