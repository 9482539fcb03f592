import type { Redis } from 'ioredis';
import { expiryDeltas } from '../../../domain/counters.ts';
import type { Proposal } from '../../../domain/proposal.ts';
import type { RedisKeys } from './keys.ts';
import type { StoreScripts, SweepReply } from './scripts.ts';

/** Ids taken from the expiry zset per round; each is deleted by its own script call. */
const BATCH = 200;

/**
 * Deletes terminal proposals whose retention ended before `now`. Each deletion is one script call
 * that checks the proposal is still due and still at the version read here (an implemented proposal
 * can still be rolled back meanwhile); cumulative counters are left alone.
 */
export function createRetentionSweep(redis: Redis, keys: RedisKeys, scripts: StoreScripts): (now: Date) => Promise<number> {
  async function sweepOne(id: string, nowMs: number): Promise<SweepReply> {
    let reply: SweepReply = 'STALE';
    for (let attempt = 0; attempt < 3 && reply === 'STALE'; attempt++) {
      const doc = await redis.get(keys.proposal(id));
      const current = doc === null ? null : (JSON.parse(doc) as Proposal);
      reply = await scripts.sweep(id, current, current ? expiryDeltas(current.status) : [], nowMs);
    }
    return reply;
  }

  return async (now) => {
    const nowMs = now.getTime();
    let swept = 0;
    for (;;) {
      const ids = await redis.zrangebyscore(keys.expiry, '-inf', nowMs, 'LIMIT', 0, BATCH);
      let removed = 0;
      for (const id of ids) {
        const reply = await sweepOne(id, nowMs);
        if (reply === 'SWEPT') swept++;
        if (reply === 'SWEPT' || reply === 'GONE') removed++;
      }
      // A short page is the last one; a page where nothing could be removed would only repeat.
      if (ids.length < BATCH || removed === 0) return swept;
    }
  };
}
