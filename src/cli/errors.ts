import { ConfigError } from '../config-error.ts';
import {
  ConflictError,
  DomainError,
  IllegalTransition,
  PolicyViolation,
  ProposalNotFound,
  StoreUnavailable,
  ValidationError,
  ExecutorUnavailable,
} from '../domain/errors.ts';

/** 0 ok, 1 the command ran and failed, 2 the command was asked wrongly (README: "Exit codes"). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CliFailure {
  message: string;
  exitCode: ExitCode;
  /** Shown after the message for errors nobody anticipated: they are bugs, and the stack finds them. */
  detail?: string;
}

/** The one place that turns an error into what a person reads and the exit code a script sees. */
export function describeFailure(error: unknown): CliFailure {
  if (error instanceof ConfigError) return { message: error.message, exitCode: EXIT.usage };
  if (error instanceof ValidationError) return { message: error.message, exitCode: EXIT.usage };
  if (error instanceof ProposalNotFound) return { message: `No proposal with id "${error.proposalId}"`, exitCode: EXIT.failure };
  if (error instanceof IllegalTransition || error instanceof ConflictError || error instanceof PolicyViolation) {
    return { message: error.message, exitCode: EXIT.failure };
  }
  if (error instanceof ExecutorUnavailable) return { message: error.message, exitCode: EXIT.failure };
  if (error instanceof StoreUnavailable) {
    return { message: `${error.message} (the store did not answer; try again when it is back)`, exitCode: EXIT.failure };
  }
  if (error instanceof DomainError) return { message: error.message, exitCode: EXIT.failure };
  // A system call that failed (a port in use, a directory not writable) is the machine's problem, not a bug: no stack.
  if (error instanceof Error && 'syscall' in error) return { message: error.message, exitCode: EXIT.failure };
  if (error instanceof Error) return { message: error.message, exitCode: EXIT.failure, detail: error.stack };
  return { message: String(error), exitCode: EXIT.failure };
}
