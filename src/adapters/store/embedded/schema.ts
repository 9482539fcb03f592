import type Database from 'better-sqlite3';

/**
 * LIST_STATUS_ORDER as SQL. Spelled out rather than derived, because a shipped migration must not
 * change when the constant does (a new order needs a new migration); the store contract's status
 * sort test fails if the two disagree.
 */
function rankOf(status: string): string {
  return `CASE ${status} WHEN 'pending' THEN 0 WHEN 'approved' THEN 1 WHEN 'executing' THEN 2 WHEN 'failed' THEN 3
    WHEN 'implemented' THEN 4 WHEN 'merged' THEN 5 WHEN 'rolled_back' THEN 6 WHEN 'rejected' THEN 7 ELSE 8 END`;
}

/** A list row: the proposal doc (never holding history) without its patch, and whether it had one. */
function rowOf(doc: string): string {
  return `json_set(json_remove(${doc}, '$.patch'), '$.hasPatch',
    json(CASE WHEN coalesce(json_extract(${doc}, '$.patch'), '') <> '' THEN 'true' ELSE 'false' END))`;
}

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
  // 3: list rows and counts. A list page reads small rows (the proposal without its patch, with
  // hasPatch) instead of cutting each doc in SQL, and its total from counts per status and type
  // instead of count(*). Triggers keep both in the same transaction as every write of proposals
  // (create, refresh, transition, sweep), whatever code path makes it; the last two statements
  // build them for proposals filed before this migration.
  `
  CREATE TABLE proposal_rows (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    status       TEXT NOT NULL,
    -- The place of status in LIST_STATUS_ORDER (src/domain/status-order.ts): pending first.
    status_rank  INTEGER NOT NULL,
    type         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    row          TEXT NOT NULL
  );
  -- One index per filter and order, each matching its ORDER BY column for column (seq included),
  -- so every page is an index range read.
  CREATE INDEX proposal_rows_by_created ON proposal_rows (created_at, seq);
  CREATE INDEX proposal_rows_by_status ON proposal_rows (status, created_at, seq);
  CREATE INDEX proposal_rows_by_type ON proposal_rows (type, created_at, seq);
  CREATE INDEX proposal_rows_by_status_type ON proposal_rows (status, type, created_at, seq);
  CREATE INDEX proposal_rows_by_rank ON proposal_rows (status_rank, created_at DESC, seq DESC);
  CREATE INDEX proposal_rows_by_type_rank ON proposal_rows (type, status_rank, created_at DESC, seq DESC);
  CREATE INDEX proposal_rows_by_rank_desc ON proposal_rows (status_rank DESC, created_at DESC, seq DESC);
  CREATE INDEX proposal_rows_by_type_rank_desc ON proposal_rows (type, status_rank DESC, created_at DESC, seq DESC);

  CREATE TABLE proposal_counts (
    status  TEXT NOT NULL,
    type    TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (status, type)
  ) WITHOUT ROWID;

  CREATE TRIGGER proposal_rows_on_insert AFTER INSERT ON proposals
  BEGIN
    INSERT INTO proposal_rows (seq, id, status, status_rank, type, created_at, row)
    VALUES (NEW.seq, NEW.id, NEW.status, ${rankOf('NEW.status')}, NEW.type, NEW.created_at, ${rowOf('NEW.doc')});
    INSERT OR IGNORE INTO proposal_counts (status, type, n) VALUES (NEW.status, NEW.type, 0);
    UPDATE proposal_counts SET n = n + 1 WHERE status = NEW.status AND type = NEW.type;
  END;
  CREATE TRIGGER proposal_rows_on_update AFTER UPDATE OF doc, status ON proposals
  BEGIN
    UPDATE proposal_rows SET status = NEW.status, status_rank = ${rankOf('NEW.status')}, row = ${rowOf('NEW.doc')}
    WHERE seq = NEW.seq;
  END;
  CREATE TRIGGER proposal_counts_on_status AFTER UPDATE OF status ON proposals WHEN OLD.status <> NEW.status
  BEGIN
    UPDATE proposal_counts SET n = n - 1 WHERE status = OLD.status AND type = OLD.type;
    INSERT OR IGNORE INTO proposal_counts (status, type, n) VALUES (NEW.status, NEW.type, 0);
    UPDATE proposal_counts SET n = n + 1 WHERE status = NEW.status AND type = NEW.type;
  END;
  CREATE TRIGGER proposal_rows_on_delete AFTER DELETE ON proposals
  BEGIN
    DELETE FROM proposal_rows WHERE seq = OLD.seq;
    UPDATE proposal_counts SET n = n - 1 WHERE status = OLD.status AND type = OLD.type;
  END;

  INSERT INTO proposal_rows (seq, id, status, status_rank, type, created_at, row)
  SELECT seq, id, status, ${rankOf('status')}, type, created_at, ${rowOf('doc')} FROM proposals;
  INSERT INTO proposal_counts (status, type, n) SELECT status, type, count(*) FROM proposals GROUP BY status, type;
  `,
  // 4: deploy markers (POST /api/deployments), one per id, read by time for outcome windows.
  `
  CREATE TABLE deployments (
    id           TEXT PRIMARY KEY,
    deployed_at  INTEGER NOT NULL,
    doc          TEXT NOT NULL
  );
  CREATE INDEX deployments_by_time ON deployments (deployed_at, id);
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
