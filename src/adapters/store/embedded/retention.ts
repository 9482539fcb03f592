import type Database from 'better-sqlite3';
import { expiryDeltas } from '../../../domain/counters.ts';
import { isTerminal, type Proposal, type ProposalStatus } from '../../../domain/proposal.ts';
import type { ProposalRows } from './proposal-rows.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** One sweep transaction removes at most this many proposals, so the server never waits long behind it. */
const SWEEP_BATCH = 500;

/** A terminal proposal is kept `retentionDays` after it became terminal; an open one forever. */
export function retentionEnd(next: Proposal, retentionDays: number): number | null {
  return isTerminal(next.status) ? Date.parse(next.updatedAt) + retentionDays * DAY_MS : null;
}

export function createRetentionSweep(db: Database.Database, rows: ProposalRows) {
  const selectExpired = db.prepare<[number, number], { id: string; status: ProposalStatus }>(
    'SELECT id, status FROM proposals WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?',
  );
  const deleteHistory = db.prepare('DELETE FROM history WHERE proposal_id = ?');
  const deleteProposal = db.prepare('DELETE FROM proposals WHERE id = ?');
  const deleteIdempotency = db.prepare('DELETE FROM idempotency WHERE expires_at <= ?');
  const deleteQuotas = db.prepare('DELETE FROM quotas WHERE expires_at <= ?');

  const sweepBatch = db.transaction((nowMs: number): number => {
    const expired = selectExpired.all(nowMs, SWEEP_BATCH);
    for (const { id, status } of expired) {
      deleteHistory.run(id);
      deleteProposal.run(id);
      // Only the `current:*` counters drop: the cumulative ones are the metrics' memory.
      rows.addCounters(expiryDeltas(status));
    }
    return expired.length;
  });
  const sweepSideTables = db.transaction((nowMs: number) => {
    deleteIdempotency.run(nowMs);
    deleteQuotas.run(nowMs);
  });

  /** Deletes expired proposals with their history, then spent idempotency keys and quotas. */
  return function sweepExpired(now: Date): number {
    const nowMs = now.getTime();
    let total = 0;
    let swept: number;
    do {
      swept = sweepBatch.immediate(nowMs);
      total += swept;
    } while (swept === SWEEP_BATCH);
    sweepSideTables.immediate(nowMs);
    return total;
  };
}
