import type Database from 'better-sqlite3';
import type { CounterDelta } from '../../../domain/counters.ts';
import { OPEN_STATUSES, type HistoryEntry, type Proposal } from '../../../domain/proposal.ts';
import type { PlannedWrite } from '../../../domain/transition.ts';
import type { ActivityEntry, ListQuery, ListRows } from '../../../ports/store.ts';

interface ProposalRow {
  doc: string;
}
interface ListRow {
  row: string;
}
interface ActivityRow {
  entry: string;
  proposal_id: string;
  type: Proposal['type'];
  title: string;
}

type ListOrder = 'newest' | 'oldest' | 'pending_first' | 'pending_last';

const ORDER_BY: Readonly<Record<ListOrder, string>> = {
  newest: 'created_at DESC, seq DESC',
  oldest: 'created_at ASC, seq ASC',
  pending_first: 'status_rank ASC, created_at DESC, seq DESC',
  pending_last: 'status_rank DESC, created_at DESC, seq DESC',
};

/** With a status filter every row has one status, so the status sort is the newest-first one. */
function orderOf(query: ListQuery): ListOrder {
  if (query.sort === 'status' && query.status === undefined) return query.direction === 'desc' ? 'pending_last' : 'pending_first';
  if (query.sort === 'status') return 'newest';
  return query.direction === 'asc' ? 'oldest' : 'newest';
}

/**
 * The SQL over proposals, history and counters. None of it opens a transaction: callers wrap these in
 * one, so that a read and the write it decides on see the same rows.
 */
export function createProposalRows(db: Database.Database) {
  const openPlaceholders = OPEN_STATUSES.map(() => '?').join(', ');
  const selectDoc = db.prepare<[string], ProposalRow>('SELECT doc FROM proposals WHERE id = ?');
  const selectHistory = db.prepare<[string], { entry: string }>('SELECT entry FROM history WHERE proposal_id = ? ORDER BY version');
  const selectNewestByFingerprint = db.prepare<[string], { id: string }>(
    'SELECT id FROM proposals WHERE fingerprint = ? ORDER BY created_at DESC, seq DESC LIMIT 1',
  );
  const selectOpenByFingerprint = db.prepare<unknown[], { id: string; status: string; version: number }>(
    `SELECT id, status, version FROM proposals WHERE fingerprint = ? AND status IN (${openPlaceholders}) LIMIT 1`,
  );
  const insertProposal = db.prepare(
    `INSERT INTO proposals (id, doc, status, type, fingerprint, created_at, updated_at, version, expires_at)
     VALUES (@id, @doc, @status, @type, @fingerprint, @createdAt, @updatedAt, @version, @expiresAt)`,
  );
  const updateProposal = db.prepare(
    `UPDATE proposals SET doc = @doc, status = @status, updated_at = @updatedAt, version = @version, expires_at = @expiresAt
     WHERE id = @id AND version = @baseVersion`,
  );
  const insertHistory = db.prepare('INSERT INTO history (proposal_id, version, at, entry) VALUES (?, ?, ?, ?)');
  const addToCounter = db.prepare(
    'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
  );
  const selectCounters = db.prepare<[], { name: string; value: number }>('SELECT name, value FROM counters');
  // Commit order breaks ties between entries of the same millisecond, hence rowid after at.
  const selectActivity = db.prepare<[number], ActivityRow>(
    `SELECT h.entry, h.proposal_id, p.type, json_extract(p.doc, '$.title') AS title
     FROM history h JOIN proposals p ON p.id = h.proposal_id
     ORDER BY h.at DESC, h.rowid DESC LIMIT ?`,
  );
  const listStatements = new Map<
    string,
    { page: Database.Statement<unknown[], ListRow>; total: Database.Statement<unknown[], { n: number }> }
  >();

  /** One prepared statement per filter and order, each answered by its own index of proposal_rows (schema.ts). */
  function listStatementsFor(query: ListQuery) {
    const order = orderOf(query);
    const key = `${query.status !== undefined}:${query.type !== undefined}:${order}`;
    let statements = listStatements.get(key);
    if (!statements) {
      const where = [query.status !== undefined && 'status = @status', query.type !== undefined && 'type = @type'].filter(Boolean);
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      statements = {
        // The offset is skipped in the index alone (every index holds its filter, order and seq), and
        // only the page's rows are read: OFFSET over the table would read every skipped row's JSON.
        page: db.prepare(
          `SELECT row FROM proposal_rows WHERE seq IN (SELECT seq FROM proposal_rows ${clause} ORDER BY ${ORDER_BY[order]} LIMIT @limit OFFSET @offset)
           ORDER BY ${ORDER_BY[order]}`,
        ),
        // Counts kept per status and type by the schema's triggers: at most 35 rows summed, whatever is stored.
        total: db.prepare(`SELECT coalesce(sum(n), 0) AS n FROM proposal_counts ${clause}`),
      };
      listStatements.set(key, statements);
    }
    return statements;
  }

  function read(id: string): Proposal | null {
    const row = selectDoc.get(id);
    if (!row) return null;
    const history = selectHistory.all(id).map((h) => JSON.parse(h.entry) as HistoryEntry);
    return { ...(JSON.parse(row.doc) as Omit<Proposal, 'history'>), history };
  }

  function addCounters(deltas: readonly CounterDelta[]): void {
    for (const delta of deltas) addToCounter.run(delta.name, delta.by);
  }

  return {
    read,
    addCounters,

    readNewestByFingerprint(fingerprint: string): Proposal | null {
      const row = selectNewestByFingerprint.get(fingerprint);
      return row ? read(row.id) : null;
    },

    findOpenByFingerprint(fingerprint: string) {
      return selectOpenByFingerprint.get(fingerprint, ...OPEN_STATUSES) ?? null;
    },

    /**
     * Writes a plan: the doc, its history entry and the counter deltas. The version in the WHERE clause
     * is the compare-and-set the plan was decided against; inside an immediate transaction it cannot
     * miss, and if it ever did the caller's transaction must roll back rather than write half.
     */
    write(plan: PlannedWrite, expiresAt: number | null): void {
      const { history: _history, ...doc } = plan.next;
      const row = {
        id: plan.next.id,
        doc: JSON.stringify(doc),
        status: plan.next.status,
        updatedAt: Date.parse(plan.next.updatedAt),
        version: plan.next.version,
        expiresAt,
      };
      if (plan.baseVersion === 0) {
        insertProposal.run({
          ...row,
          type: plan.next.type,
          fingerprint: plan.next.fingerprint,
          createdAt: Date.parse(plan.next.createdAt),
        });
      } else if (updateProposal.run({ ...row, baseVersion: plan.baseVersion }).changes !== 1) {
        throw new Error(`Proposal ${plan.next.id} moved past version ${plan.baseVersion} inside a write transaction`);
      }
      insertHistory.run(plan.next.id, plan.entry.version, Date.parse(plan.entry.at), JSON.stringify(plan.entry));
      addCounters(plan.deltas);
    },

    listRows(query: ListQuery): ListRows {
      const statements = listStatementsFor(query);
      const filter = { ...(query.status ? { status: query.status } : {}), ...(query.type ? { type: query.type } : {}) };
      const rows = statements.page.all({ ...filter, limit: query.limit, offset: query.offset }).map((r) => r.row);
      return { rows, total: statements.total.get(filter)?.n ?? 0 };
    },

    counters(): Record<string, number> {
      return Object.fromEntries(selectCounters.all().map((c) => [c.name, c.value]));
    },

    activity(limit: number): ActivityEntry[] {
      return selectActivity.all(limit).map((row) => ({
        ...(JSON.parse(row.entry) as HistoryEntry),
        proposalId: row.proposal_id,
        type: row.type,
        title: row.title,
      }));
    },
  };
}

export type ProposalRows = ReturnType<typeof createProposalRows>;
