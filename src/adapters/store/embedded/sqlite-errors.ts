import { DomainError, StoreUnavailable, errorMessage } from '../../../domain/errors.ts';

/** SQLite's primary result codes that mean "the file cannot be used right now", not a bug of ours. */
const BUSY = /^SQLITE_(BUSY|LOCKED)/;
const UNUSABLE = /^SQLITE_(CANTOPEN|NOTADB|CORRUPT|IOERR|FULL|READONLY|PERM|AUTH|NOLFS|PROTOCOL)/;

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Turns what better-sqlite3 throws into what the core understands. Domain errors decided inside a
 * transaction pass through; a busy, corrupt or unreadable file becomes StoreUnavailable with
 * a message that names the file, so an operator sees where to look instead of SQLite internals.
 */
export function toStoreError(error: unknown, file: string, busyTimeoutMs: number): unknown {
  if (error instanceof DomainError) return error;
  const code = codeOf(error);
  const detail = errorMessage(error);
  if (BUSY.test(code)) {
    return new StoreUnavailable(
      `The embedded store at ${file} is busy: another process held its write lock for more than ${busyTimeoutMs} ms (${code})`,
      error,
    );
  }
  if (UNUSABLE.test(code)) {
    return new StoreUnavailable(`The embedded store at ${file} cannot be used: ${detail} (${code})`, error);
  }
  return error;
}

/** For the one moment a person reads these: when the service refuses to start. */
export function openFailure(error: unknown, file: string): StoreUnavailable {
  const detail = errorMessage(error);
  const advice = /^SQLITE_(NOTADB|CORRUPT)/.test(codeOf(error))
    ? ' (corrupt, or not a SQLite file); move it aside to start with an empty store, or restore a backup'
    : '';
  return new StoreUnavailable(`Cannot open the embedded store at ${file}: ${detail}${advice}`, error);
}
