import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './schema.ts';
import { openFailure } from './sqlite-errors.ts';

/**
 * Opens (creating if needed) the SQLite file the server and the CLI share, ready for concurrent use
 * by several processes. Throws StoreUnavailable naming the file when it cannot be used.
 */
/**
 * Setting WAL on a file another process is setting up at the same moment can answer "database is
 * locked" at once, without waiting out the busy timeout (seen when two CLIs open a fresh DATA_DIR
 * together on a loaded machine). Opening is retried then, with growing pauses, about 10 s in all.
 */
const OPEN_ATTEMPTS = 20;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function pauseSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function openDatabase(file: string, busyTimeoutMs: number): Database.Database {
  for (let attempt = 1; ; attempt++) {
    let db: Database.Database | undefined;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      // The busy timeout is set by the constructor, before anything below takes a lock, so that two
      // processes opening a fresh file at once wait for each other instead of failing.
      db = new Database(file, { timeout: busyTimeoutMs });
      // WAL lets the CLI read while the server writes, and makes a commit one append to the log.
      db.pragma('journal_mode = WAL');
      // FULL fsyncs the log at every commit, so an approval a person was told about survives a power
      // cut too; NORMAL survives a process crash but may lose the last commits to a power cut. Writes
      // come a handful a minute, and bench/store-transitions-embedded.ts puts FULL at ~0.1 ms a commit
      // (p50) against ~0.01 ms for NORMAL: a price worth paying for an audit trail.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db);
      return db;
    } catch (error) {
      db?.close();
      if (attempt < OPEN_ATTEMPTS && isBusy(error)) {
        pauseSync(50 * attempt);
        continue;
      }
      throw openFailure(error, file);
    }
  }
}
