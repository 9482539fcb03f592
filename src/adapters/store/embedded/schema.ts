import type Database from 'better-sqlite3';

/**
 * The embedded store's tables. Each migration is applied once, in order, and PRAGMA user_version
 * records how many have run, so a file written by an older release is upgraded in place.
 * Never edit a migration that has shipped: append a new one.
 */
const MIGRATIONS: readonly string[] = [
  `
  -- doc is the proposal without its history; the other columns are copies of doc fields that queries
  -- filter and sort on. seq is an explicit rowid alias so "newest first" ties stay in filing order
  -- even after a VACUUM, which may renumber implicit rowids.
  CREATE TABLE proposals (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    doc          TEXT NOT NULL,
    status       TEXT NOT NULL,
    type         TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    expires_at   INTEGER
  );
  -- One index per list filter combination, each ending in created_at, so a page of "newest first"
  -- is an index range read rather than a sort of every matching row.
  CREATE INDEX proposals_by_created ON proposals (created_at);
  CREATE INDEX proposals_by_status ON proposals (status, created_at);
  CREATE INDEX proposals_by_type ON proposals (type, created_at);
  CREATE INDEX proposals_by_status_type ON proposals (status, type, created_at);
  CREATE INDEX proposals_by_fingerprint ON proposals (fingerprint, created_at);
  CREATE INDEX proposals_by_expiry ON proposals (expires_at) WHERE expires_at IS NOT NULL;

  CREATE TABLE history (
    proposal_id  TEXT NOT NULL REFERENCES proposals (id),
    version      INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    entry        TEXT NOT NULL,
    PRIMARY KEY (proposal_id, version)
  );
  CREATE INDEX history_by_time ON history (at);

  -- The audit trail is append-only. Only the retention sweep removes rows, and only those of a
  -- proposal whose retention has been set (a terminal one); the sweep deletes history first.
  CREATE TRIGGER history_is_append_only BEFORE UPDATE ON history
  BEGIN
    SELECT RAISE(ABORT, 'history is append-only');
  END;
  CREATE TRIGGER history_outlives_open_proposals BEFORE DELETE ON history
  WHEN (SELECT expires_at FROM proposals WHERE id = OLD.proposal_id) IS NULL
  BEGIN
    SELECT RAISE(ABORT, 'history of an open proposal cannot be deleted');
  END;

  CREATE TABLE idempotency (
    key          TEXT PRIMARY KEY,
    proposal_id  TEXT NOT NULL,
    result       TEXT NOT NULL,
    expires_at   INTEGER NOT NULL
  );
  CREATE INDEX idempotency_by_expiry ON idempotency (expires_at);

  CREATE TABLE counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE gains (
    proposal_id  TEXT PRIMARY KEY,
    endpoint     TEXT NOT NULL,
    before_ms    REAL NOT NULL,
    after_ms     REAL NOT NULL,
    measured_at  TEXT NOT NULL
  );

  CREATE TABLE knowledge (
    category    TEXT NOT NULL,
    key         TEXT NOT NULL,
    content     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (category, key)
  );
  CREATE INDEX knowledge_by_time ON knowledge (created_at);
  CREATE INDEX knowledge_by_category_time ON knowledge (category, created_at);

  CREATE TABLE quotas (
    name        TEXT PRIMARY KEY,
    used        INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
  );
  `,
  `
  -- A change's measured outcome (before/after test and verdict), one per proposal, as JSON.
  CREATE TABLE outcomes (
    proposal_id  TEXT PRIMARY KEY,
    doc          TEXT NOT NULL,
    measured_at  TEXT NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The file was written by a newer release; opening it with this one could corrupt what it wrote. */
export class SchemaTooNew extends Error {
  override name = 'SchemaTooNew';
  constructor(readonly found: number) {
    super(`its schema version is ${found}, newer than the ${SCHEMA_VERSION} this release knows; upgrade improvement-loop`);
  }
}

/**
 * Brings the file up to SCHEMA_VERSION. Each step runs in its own immediate transaction and re-reads
 * the version inside it, because the server and the CLI may open a fresh file at the same moment.
 */
export function migrate(db: Database.Database): void {
  const readVersion = () => db.pragma('user_version', { simple: true }) as number;
  if (readVersion() > SCHEMA_VERSION) throw new SchemaTooNew(readVersion());
  for (let target = readVersion() + 1; target <= SCHEMA_VERSION; target++) {
    db.transaction(() => {
      const current = readVersion();
      if (current >= target) return;
      db.exec(MIGRATIONS[target - 1]!);
      db.pragma(`user_version = ${target}`);
    }).immediate();
  }
}
