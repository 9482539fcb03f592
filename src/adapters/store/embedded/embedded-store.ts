import path from 'node:path';
import { ConflictError, ProposalNotFound, StoreUnavailable, ValidationError } from '../../../domain/errors.ts';
import { isProposalId, newProposalId } from '../../../domain/ids.ts';
import type { Proposal, ProposalDraft } from '../../../domain/proposal.ts';
import { planCreation, planNote, planRefresh, planTransition, type PlannedWrite } from '../../../domain/transition.ts';
import {
  LIST_SORTS,
  type CreateOptions,
  type ListQuery,
  type NoteRequest,
  type ProposalStore,
  type ProposalSummary,
  type RefreshRequest,
  type TransitionRequest,
  type TransitionResult,
} from '../../../ports/store.ts';
import { openDatabase } from './open-database.ts';
import { createProposalRows } from './proposal-rows.ts';
import { createRetentionSweep, retentionEnd } from './retention.ts';
import { createSideRecords } from './side-records.ts';
import { toStoreError } from './sqlite-errors.ts';

export interface EmbeddedStoreOptions {
  file: string;
  /** Days a rejected, implemented or rolled-back proposal is kept (PROPOSAL_RETENTION_DAYS). */
  retentionDays?: number;
  now?: () => Date;
  /** How long a write waits for another process's write lock before answering StoreUnavailable. */
  busyTimeoutMs?: number;
}

/**
 * A replayed key is recognised for a day: long past any client's retry of a lost reply, short enough
 * that the table stays small. The sweep deletes older keys.
 */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

function requirePositiveInt(name: string, value: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new ValidationError(`${name} must be an integer from 1 to ${max}, not ${value}`);
}

/**
 * The ProposalStore on one SQLite file: the default when REDIS_URL is unset. better-sqlite3 is
 * synchronous, so each operation, including its whole transaction, runs to completion before its
 * promise settles; no transaction ever spans an await. Writers in other processes are serialised
 * by SQLite's write lock, taken up front by BEGIN IMMEDIATE.
 */
export function createEmbeddedStore(options: EmbeddedStoreOptions): ProposalStore {
  const file = path.resolve(options.file);
  const retentionDays = options.retentionDays ?? 30;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const now = options.now ?? (() => new Date());
  const db = openDatabase(file, busyTimeoutMs);
  const rows = createProposalRows(db);
  const side = createSideRecords(db);
  const sweepExpired = createRetentionSweep(db, rows);

  function call<T>(work: () => T): Promise<T> {
    if (!db.open) return Promise.reject(new StoreUnavailable(`The embedded store at ${file} is closed`));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(toStoreError(error, file, busyTimeoutMs));
    }
  }

  const read = db.transaction((id: string) => rows.read(id));

  const create = db.transaction((draft: ProposalDraft, createOptions: CreateOptions, at: Date): Proposal => {
    const id = createOptions.id ?? newProposalId(draft.type, at);
    if (!isProposalId(id)) throw new ValidationError(`"${id}" is not a valid proposal id`);
    const open = rows.findOpenByFingerprint(draft.fingerprint);
    if (open) {
      throw new ConflictError(
        open.id,
        `Proposal ${open.id} is already ${open.status} for this finding (${draft.fingerprint})`,
        open.status,
        open.version,
      );
    }
    if (rows.read(id)) throw new ConflictError(id, `A proposal with id ${id} already exists`);
    const plan = planCreation(draft, id, createOptions.actor, at);
    rows.write(plan, null);
    return plan.next;
  });

  const refresh = db.transaction((request: RefreshRequest, at: Date): Proposal => {
    const current = rows.read(request.id);
    if (!current) throw new ProposalNotFound(request.id);
    const plan = planRefresh(current, request, at);
    rows.write(plan, retentionEnd(plan.next, retentionDays));
    return plan.next;
  });

  const selectKey = db.prepare<[string, number], { proposal_id: string }>(
    'SELECT proposal_id FROM idempotency WHERE key = ? AND expires_at > ?',
  );
  const recordKey = db.prepare(
    `INSERT INTO idempotency (key, proposal_id, result, expires_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET proposal_id = excluded.proposal_id, result = excluded.result, expires_at = excluded.expires_at`,
  );

  /** A transition or a note, applied once per idempotency key. */
  function keyedWrite<R extends { id: string; idempotencyKey: string }>(plan: (current: Proposal, request: R, at: Date) => PlannedWrite) {
    return db.transaction((request: R, at: Date): TransitionResult => {
      // The key comes first: a re-sent request whose first attempt went through must hear "duplicate",
      // not a conflict with its own earlier success.
      const seen = selectKey.get(request.idempotencyKey, at.getTime());
      const replayed = seen ? rows.read(seen.proposal_id) : null;
      if (replayed) return { outcome: 'duplicate', proposal: replayed };
      const current = rows.read(request.id);
      if (!current) throw new ProposalNotFound(request.id);
      const planned = plan(current, request, at);
      rows.write(planned, retentionEnd(planned.next, retentionDays));
      const result = JSON.stringify({ outcome: 'applied', to: planned.next.status, version: planned.next.version });
      recordKey.run(request.idempotencyKey, planned.next.id, result, at.getTime() + IDEMPOTENCY_TTL_MS);
      return { outcome: 'applied', proposal: planned.next };
    });
  }
  const transition = keyedWrite<TransitionRequest>(planTransition);
  const note = keyedWrite<NoteRequest>(planNote);

  const findByFingerprint = db.transaction((fingerprint: string) => rows.readNewestByFingerprint(fingerprint));
  const listRows = db.transaction((query: ListQuery) => rows.listRows(query));
  function checkedListRows(query: ListQuery) {
    requirePositiveInt('limit', query.limit, 500);
    if (!Number.isInteger(query.offset) || query.offset < 0)
      throw new ValidationError(`offset must be a whole number, not ${query.offset}`);
    if (query.sort !== undefined && !LIST_SORTS.includes(query.sort))
      throw new ValidationError(`sort must be one of ${LIST_SORTS.join(', ')}`);
    return listRows.deferred(query);
  }
  // Reads the schema page, so a file that went bad after opening fails here rather than on the next write.
  const touchFile = db.prepare('SELECT count(*) FROM sqlite_schema');

  return {
    kind: 'embedded',
    create: (draft, createOptions) => call(() => create.immediate(draft, createOptions, now())),
    refresh: (request) => call(() => refresh.immediate(request, now())),
    transition: (request) =>
      call(() => {
        if (!request.idempotencyKey) throw new ValidationError('A transition needs an idempotency key');
        return transition.immediate(request, now());
      }),
    note: (request) =>
      call(() => {
        if (!request.idempotencyKey) throw new ValidationError('A note needs an idempotency key');
        return note.immediate(request, now());
      }),
    get: (id) => call(() => read.deferred(id)),
    findByFingerprint: (fingerprint) => call(() => findByFingerprint.deferred(fingerprint)),
    list: (query) =>
      call(() => {
        const { rows: page, total } = checkedListRows(query);
        return { items: page.map((row) => JSON.parse(row) as ProposalSummary), total };
      }),
    listRows: (query) => call(() => checkedListRows(query)),
    counters: () => call(() => rows.counters()),
    recentActivity: (limit) =>
      call(() => {
        requirePositiveInt('limit', limit, 1000);
        return rows.activity(limit);
      }),
    takeQuota: (name, limit, ttlMs) => call(() => side.takeQuota(name, limit, ttlMs, now())),
    recordGain: (gain) => call(() => side.recordGain(gain)),
    listGains: () => call(() => side.listGains()),
    recordOutcome: (outcome) => call(() => side.recordOutcome(outcome)),
    listOutcomes: () => call(() => side.listOutcomes()),
    recordDeployment: (deployment) => call(() => side.recordDeployment(deployment)),
    listDeployments: (window) => call(() => side.listDeployments(window)),
    putKnowledge: (entry) => call(() => side.putKnowledge(entry)),
    getKnowledge: (category, key) => call(() => side.getKnowledge(category, key)),
    deleteKnowledge: (category, key) => call(() => side.deleteKnowledge(category, key)),
    listKnowledge: (category, limit) =>
      call(() => {
        requirePositiveInt('limit', limit, 1000);
        return side.listKnowledge(category, limit);
      }),
    sweepExpired: (at) => call(() => sweepExpired(at)),
    ping: () => call(() => void touchFile.get()),
    close: () => {
      if (db.open) db.close();
      return Promise.resolve();
    },
  };
}
