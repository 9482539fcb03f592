import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './schema.ts';
import { openFailure } from './sqlite-errors.ts';

/**
 * Opens (creating if needed) the SQLite file the server and the CLI share, ready for concurrent use
 * by several processes. Throws StoreUnavailable naming the file when it cannot be used.
 */
export function openDatabase(file: string, busyTimeoutMs: number): Database.Database {
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
    throw openFailure(error, file);
  }
}
