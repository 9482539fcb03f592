import type { Redis } from 'ioredis';
import { ValidationError } from '../../../domain/errors.ts';
import type { Proposal } from '../../../domain/proposal.ts';
import { LIST_STATUS_ORDER } from '../../../domain/status-order.ts';
import { LIST_SORTS, type ListQuery, type ListResult, type ListRows, type ProposalSummary } from '../../../ports/store.ts';
import type { RedisKeys } from './keys.ts';
import { encodeRow } from './proposal-codec.ts';
import type { StoreScripts } from './scripts.ts';

/** Redis reads a count of 0 as "everything" in ZREVRANGE 0 -1, so counts are checked here. */
export function requireCount(name: string, value: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new ValidationError(`${name} must be an integer from 1 to ${max}, not ${value}`);
}

/**
 * Which index zsets a list reads, in order. Every filter has its own zset (kept by the write
 * scripts); the status sort reads the filter's zset of each status in LIST_STATUS_ORDER one after
 * another, so no index per sort is needed and the total is still a sum of ZCARDs.
 */
function indexesFor(keys: RedisKeys, query: ListQuery): { indexes: string[]; order: 'newest' | 'oldest' } {
  const { status, type } = query;
  if (query.sort === 'status' && status === undefined) {
    const statuses = query.direction === 'desc' ? [...LIST_STATUS_ORDER].reverse() : LIST_STATUS_ORDER;
    return { indexes: statuses.map((s) => keys.index({ status: s, type })), order: 'newest' };
  }
  const oldest = query.sort !== 'status' && query.direction === 'asc';
  return { indexes: [keys.index({ status, type })], order: oldest ? 'oldest' : 'newest' };
}

/**
 * The list: one script call reads the page's ids and their list rows (the proposal without patch
 * and history) and the total, so a page costs one round trip and one JSON.parse per row. A
 * proposal filed before list rows existed has none: its row is built here from the proposal and
 * stored (once, at the version read), so an older store's data lists the same and moves to rows as
 * it is read.
 */
export function createProposalList(redis: Redis, keys: RedisKeys, scripts: StoreScripts) {
  async function buildRows(ids: string[]): Promise<Map<string, string>> {
    const docs = await redis.mget(ids.map((id) => keys.proposal(id)));
    const rows = ids.flatMap((id, i) => {
      const doc = docs[i];
      if (doc === null || doc === undefined) return [];
      const proposal = JSON.parse(doc) as Omit<Proposal, 'history'>;
      return [{ id, version: proposal.version, row: encodeRow(proposal) }];
    });
    await scripts.backfillRows(rows);
    return new Map(rows.map((r) => [r.id, r.row]));
  }

  async function listRows(query: ListQuery): Promise<ListRows> {
    requireCount('limit', query.limit, 500);
    if (!Number.isInteger(query.offset) || query.offset < 0)
      throw new ValidationError(`offset must be a non-negative integer, not ${query.offset}`);
    if (query.sort !== undefined && !LIST_SORTS.includes(query.sort))
      throw new ValidationError(`sort must be one of ${LIST_SORTS.join(', ')}`);
    const { indexes, order } = indexesFor(keys, query);
    const page = await scripts.listPage(indexes, query.offset, query.limit, order);
    const missing = page.entries.filter((e) => e.row === '').map((e) => e.id);
    const built = missing.length ? await buildRows(missing) : new Map<string, string>();
    const rows: string[] = [];
    for (const entry of page.entries) {
      // A proposal swept between the page and its rebuild is skipped rather than shown half.
      const row = entry.row || built.get(entry.id);
      if (row) rows.push(row);
    }
    return { rows, total: page.total };
  }

  return {
    listRows,
    async list(query: ListQuery): Promise<ListResult> {
      const { rows, total } = await listRows(query);
      return { items: rows.map((row) => JSON.parse(row) as ProposalSummary), total };
    },
  };
}
