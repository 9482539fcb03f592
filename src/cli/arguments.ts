import { userInfo } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { ValidationError } from '../domain/errors.ts';
import { isProposalId } from '../domain/ids.ts';

// Date only (midnight UTC), or date and time with an explicit zone: a time without a zone would
// mean something different on every machine, and --as-of exists to make runs reproducible.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/** commander argument parser for `--as-of`. */
export function parseIsoTime(value: string): Date {
  const match = ISO_TIME.exec(value.trim());
  const date = match ? new Date(value.trim()) : undefined;
  if (!match || !date || Number.isNaN(date.getTime()) || !calendarDateExists(match)) {
    throw new InvalidArgumentError('Expected an ISO 8601 time with a zone, such as 2024-05-01 or 2024-05-01T06:00:00Z.');
  }
  return date;
}

function calendarDateExists(match: RegExpExecArray): boolean {
  // new Date('2024-02-31') quietly means 2 March; the calendar check catches that.
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** commander argument parser for whole numbers within bounds (`--limit`, `--offset`). */
export function integerBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}

export function requireProposalId(value: string): string {
  if (!isProposalId(value)) {
    throw new ValidationError(`"${value}" is not a proposal id: ids are lowercase letters, digits, "-" and "_"`);
  }
  return value;
}

/** Who a decision is recorded as when `--as` is not given: `cli:<login name>`. */
export function defaultActor(env: NodeJS.ProcessEnv): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // Containers often run as a uid with no passwd entry; the environment may still name the user.
    name = env.USER ?? env.LOGNAME ?? env.USERNAME;
  }
  return `cli:${name || 'unknown'}`;
}
