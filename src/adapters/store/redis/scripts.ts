import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { CounterDelta } from '../../../domain/counters.ts';
import { OPEN_STATUSES, type Proposal } from '../../../domain/proposal.ts';
import type { PlannedWrite } from '../../../domain/transition.ts';
import type { RedisKeys } from './keys.ts';
import { activityEntry, encodeProposal, encodeRow } from './proposal-codec.ts';

/**
 * The typed face of the Lua scripts in ./lua: each method builds KEYS and ARGV in the order its
 * script's header documents, and turns the reply into a tagged union. Every write of a proposal is
 * one of these calls, so it is atomic on the server whatever the number of Node processes.
 */

function lua(name: string): string {
  return readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
}

const shared = lua('shared');
const DEFINITIONS = {
  improvementCreate: { lua: shared + lua('create'), numberOfKeys: 12 },
  improvementWrite: { lua: shared + lua('write'), numberOfKeys: 12 },
  improvementSweep: { lua: shared + lua('sweep'), numberOfKeys: 11 },
  improvementTakeQuota: { lua: lua('quota'), numberOfKeys: 1 },
  // These two take any number of keys: the count comes first in the call.
  improvementListPage: { lua: lua('list') },
  improvementBackfillRows: { lua: shared + lua('backfill') },
} as const;

type Arg = string | number;
type DefinedCommand = (...args: Arg[]) => Promise<unknown>;

export type CreateReply = { kind: 'created' } | { kind: 'stale' } | { kind: 'exists'; id: string; status: string } | { kind: 'id_taken' };
export type WriteReply =
  { kind: 'applied' | 'stale'; version: number } | { kind: 'duplicate'; version: number; proposalId: string } | { kind: 'not_found' };
export type SweepReply = 'SWEPT' | 'KEPT' | 'STALE' | 'GONE';

/** A page as list.lua reads it: ids in list order, each with its row ('' when it has none yet). */
export interface ListPage {
  total: number;
  entries: { id: string; row: string }[];
}

export interface ScriptSettings {
  activityMaxLen: number;
  idempotencyTtlSeconds: number;
}

export interface StoreScripts {
  /** `seenId`: the proposal the fingerprint named when Node read it, the script's compare-and-set. */
  create(plan: PlannedWrite, seenId: string | null): Promise<CreateReply>;
  /** `expiresAt` (ms) is set once the proposal is terminal; `ttlSeconds` overrides the default record lifetime. */
  write(
    plan: PlannedWrite,
    options: { idempotency: { key: string; nonce: string; ttlSeconds?: number }; expiresAt: number | null },
  ): Promise<WriteReply>;
  sweep(
    id: string,
    current: Pick<Proposal, 'version' | 'type' | 'status' | 'fingerprint'> | null,
    deltas: CounterDelta[],
    nowMs: number,
  ): Promise<SweepReply>;
  takeQuota(key: string, limit: number, ttlMs: number): Promise<boolean>;
  /** One page over the zsets, read as one list in the order given; `newest` orders inside each zset. */
  listPage(indexes: string[], offset: number, limit: number, order: 'newest' | 'oldest'): Promise<ListPage>;
  /** Stores rows built from proposals at `version`; a row stored meanwhile, or a newer version, wins. */
  backfillRows(rows: { id: string; version: number; row: string }[]): Promise<number>;
}

function flatten(deltas: CounterDelta[]): Arg[] {
  return [deltas.length, ...deltas.flatMap((d) => [d.name, d.by])];
}

export function registerScripts(redis: Redis, keys: RedisKeys, settings: ScriptSettings): StoreScripts {
  for (const [name, definition] of Object.entries(DEFINITIONS)) redis.defineCommand(name, definition);
  const command = (name: keyof typeof DEFINITIONS) => (redis as unknown as Record<string, DefinedCommand>)[name]!.bind(redis);
  const createCommand = command('improvementCreate');
  const writeCommand = command('improvementWrite');
  const sweepCommand = command('improvementSweep');
  const quotaCommand = command('improvementTakeQuota');
  const listCommand = command('improvementListPage');
  const backfillCommand = command('improvementBackfillRows');

  return {
    async create({ next, entry, deltas }, seenId) {
      const reply = (await createCommand(
        keys.fingerprint(next.fingerprint),
        keys.proposal(seenId ?? next.id),
        keys.proposal(next.id),
        keys.history(next.id),
        keys.activity,
        keys.counters,
        keys.summary,
        keys.index({}),
        keys.index({ status: next.status }),
        keys.index({ type: next.type }),
        keys.index({ status: next.status, type: next.type }),
        keys.rows,
        seenId ?? '',
        next.id,
        encodeProposal(next),
        JSON.stringify(entry),
        activityEntry(next, entry),
        Date.parse(next.createdAt),
        settings.activityMaxLen,
        next.type,
        OPEN_STATUSES.join(','),
        encodeRow(next),
        ...flatten(deltas),
      )) as [string, string?, string?];
      switch (reply[0]) {
        case 'CREATED':
          return { kind: 'created' };
        case 'STALE':
          return { kind: 'stale' };
        case 'EXISTS':
          return { kind: 'exists', id: String(reply[1]), status: String(reply[2]) };
        case 'ID_TAKEN':
          return { kind: 'id_taken' };
        default:
          throw new Error(`Unexpected reply from the create script: ${String(reply[0])}`);
      }
    },

    async write({ baseVersion, next, entry, deltas }, { idempotency, expiresAt }) {
      const from = entry.from ?? next.status;
      const reply = (await writeCommand(
        keys.proposal(next.id),
        keys.history(next.id),
        keys.activity,
        keys.idempotency(idempotency.key),
        keys.counters,
        keys.summary,
        keys.expiry,
        keys.index({ status: from }),
        keys.index({ status: next.status }),
        keys.index({ status: from, type: next.type }),
        keys.index({ status: next.status, type: next.type }),
        keys.rows,
        baseVersion,
        encodeProposal(next),
        JSON.stringify(entry),
        activityEntry(next, entry),
        next.id,
        Date.parse(next.createdAt),
        expiresAt ?? '',
        settings.activityMaxLen,
        idempotency.ttlSeconds ?? settings.idempotencyTtlSeconds,
        idempotency.nonce,
        next.type,
        from,
        next.status,
        encodeRow(next),
        ...flatten(deltas),
      )) as [string, number?, string?];
      const version = Number(reply[1]);
      switch (reply[0]) {
        case 'APPLIED':
          return { kind: 'applied', version };
        case 'DUPLICATE':
          return { kind: 'duplicate', version, proposalId: String(reply[2]) };
        case 'STALE':
          return { kind: 'stale', version };
        case 'NOT_FOUND':
          return { kind: 'not_found' };
        default:
          throw new Error(`Unexpected reply from the write script: ${String(reply[0])}`);
      }
    },

    async sweep(id, current, deltas, nowMs) {
      const type = current?.type ?? '';
      const status = current?.status ?? '';
      return (await sweepCommand(
        keys.expiry,
        keys.proposal(id),
        keys.history(id),
        keys.fingerprint(current?.fingerprint ?? ''),
        keys.counters,
        keys.summary,
        keys.index({}),
        current ? keys.index({ status: current.status }) : keys.index({}),
        current ? keys.index({ type: current.type }) : keys.index({}),
        current ? keys.index({ status: current.status, type: current.type }) : keys.index({}),
        keys.rows,
        id,
        nowMs,
        current?.version ?? 0,
        type,
        status,
        ...flatten(deltas),
      )) as SweepReply;
    },

    async takeQuota(key, limit, ttlMs) {
      return (await quotaCommand(key, limit, ttlMs)) === 1;
    },

    async listPage(indexes, offset, limit, order) {
      const [total, ...flat] = (await listCommand(1 + indexes.length, keys.rows, ...indexes, offset, limit, order)) as [
        number,
        ...string[],
      ];
      const entries: ListPage['entries'] = [];
      for (let i = 0; i < flat.length; i += 2) entries.push({ id: flat[i]!, row: flat[i + 1]! });
      return { total: Number(total), entries };
    },

    async backfillRows(rows) {
      if (!rows.length) return 0;
      const args = rows.flatMap((r) => [r.id, r.version, r.row]);
      return Number(await backfillCommand(1 + rows.length, keys.rows, ...rows.map((r) => keys.proposal(r.id)), ...args));
    },
  };
}
