import type { Redis } from 'ioredis';
import { ValidationError } from '../../../domain/errors.ts';
import type { ActivityEntry, ProposalStore } from '../../../ports/store.ts';
import { toStoreError } from './client.ts';
import { createRedisKeys } from './keys.ts';
import { decodeEntry, type StreamEntry } from './proposal-codec.ts';
import { createProposalList, requireCount } from './proposal-list.ts';
import { createProposalWrites } from './proposal-writes.ts';
import { createRetentionSweep } from './retention-sweep.ts';
import { registerScripts } from './scripts.ts';
import { createSideRecords } from './side-records.ts';

export interface RedisStoreOptions {
  /** A fail-fast client for request handlers, a patient one for jobs (see client.ts). */
  redis: Redis;
  /** Prepended to every key; empty keeps the seed system's key names. */
  keyPrefix?: string;
  /** Days a rejected, implemented or rolled-back proposal is kept (PROPOSAL_RETENTION_DAYS). */
  retentionDays?: number;
  now?: () => Date;
  /** Close the connection on close(); leave it open when the caller shares it. */
  ownsConnection?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** A replayed request is recognised for a day: long past any client's retry of a lost reply. */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** Enough for any dashboard's recent-activity list; `~` lets Redis trim whole nodes, cheaply. */
const ACTIVITY_MAX_LEN = 10_000;

/**
 * The ProposalStore on Redis. Every write of a proposal is one Lua script call (see scripts.ts), so
 * a transition's status check, version compare-and-set, idempotency record, history entry, indexes
 * and counters land together or not at all, across any number of processes.
 */
export function createRedisStore(options: RedisStoreOptions): ProposalStore {
  const { redis } = options;
  const keys = createRedisKeys(options.keyPrefix ?? '');
  const now = options.now ?? (() => new Date());
  const retentionDays = options.retentionDays ?? 30;
  if (!(retentionDays > 0)) throw new ValidationError(`retentionDays must be positive, not ${retentionDays}`);
  const scripts = registerScripts(redis, keys, { activityMaxLen: ACTIVITY_MAX_LEN, idempotencyTtlSeconds: IDEMPOTENCY_TTL_SECONDS });
  const writes = createProposalWrites({ redis, keys, scripts, now, retentionMs: retentionDays * DAY_MS });
  const side = createSideRecords(redis, keys);
  const sweep = createRetentionSweep(redis, keys, scripts);
  const list = createProposalList(redis, keys, scripts);

  /** Every public method goes through here, so callers only ever see the core's errors. */
  function guarded<A extends unknown[], R>(work: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args) => {
      try {
        return await work(...args);
      } catch (error) {
        throw toStoreError(error);
      }
    };
  }

  return {
    kind: 'redis',
    create: guarded(writes.create),
    refresh: guarded(writes.refresh),
    transition: guarded(writes.transition),
    note: guarded(writes.note),
    get: guarded(writes.read),
    findByFingerprint: guarded(async (fingerprint: string) => {
      const id = await redis.get(keys.fingerprint(fingerprint));
      return id === null ? null : writes.read(id);
    }),
    list: guarded(list.list),
    listRows: guarded(list.listRows),
    counters: guarded(async () => {
      const raw = await redis.hgetall(keys.counters);
      return Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, Number(value)]));
    }),
    recentActivity: guarded(async (limit: number) => {
      requireCount('limit', limit, 1000);
      const entries = (await redis.xrevrange(keys.activity, '+', '-', 'COUNT', limit)) as StreamEntry[];
      return entries.map(decodeEntry<ActivityEntry>);
    }),
    takeQuota: guarded(async (name: string, limit: number, ttlMs: number) => {
      requireCount('ttlMs', ttlMs);
      return scripts.takeQuota(keys.quota(name), limit, ttlMs);
    }),
    recordGain: guarded(side.recordGain),
    listGains: guarded(side.listGains),
    recordOutcome: guarded(side.recordOutcome),
    listOutcomes: guarded(side.listOutcomes),
    recordDeployment: guarded(side.recordDeployment),
    listDeployments: guarded(side.listDeployments),
    putKnowledge: guarded(side.putKnowledge),
    getKnowledge: guarded(side.getKnowledge),
    deleteKnowledge: guarded(side.deleteKnowledge),
    listKnowledge: guarded(async (category: string | undefined, limit: number) => {
      requireCount('limit', limit, 1000);
      return side.listKnowledge(category, limit);
    }),
    sweepExpired: guarded(sweep),
    ping: guarded(async () => {
      await redis.ping();
    }),
    async close() {
      if (!options.ownsConnection) return;
      // QUIT lets replies in flight arrive; when Redis is away there is nothing to wait for.
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
