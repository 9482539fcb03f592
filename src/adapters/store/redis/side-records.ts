import type { Redis } from 'ioredis';
import type { ChangeOutcome } from '../../../domain/outcome.ts';
import type { KnowledgeEntry, PerformanceGain } from '../../../ports/store.ts';
import type { RedisKeys } from './keys.ts';

/** Records that live beside proposals: realized gains, change outcomes and knowledge entries. */
export interface SideRecords {
  recordGain(gain: PerformanceGain): Promise<void>;
  listGains(): Promise<PerformanceGain[]>;
  recordOutcome(outcome: ChangeOutcome): Promise<void>;
  listOutcomes(): Promise<ChangeOutcome[]>;
  putKnowledge(entry: KnowledgeEntry): Promise<void>;
  listKnowledge(category: string | undefined, limit: number): Promise<KnowledgeEntry[]>;
}

export function createSideRecords(redis: Redis, keys: RedisKeys): SideRecords {
  return {
    async recordGain(gain) {
      // One field per proposal: a second measurement replaces the first.
      await redis.hset(keys.gains, gain.proposalId, JSON.stringify(gain));
    },

    async listGains() {
      const values = await redis.hvals(keys.gains);
      return values
        .map((v) => JSON.parse(v) as PerformanceGain)
        .sort((a, b) => b.measuredAt.localeCompare(a.measuredAt) || a.proposalId.localeCompare(b.proposalId));
    },

    async recordOutcome(outcome) {
      await redis.hset(keys.outcomes, outcome.proposalId, JSON.stringify(outcome));
    },

    async listOutcomes() {
      const values = await redis.hvals(keys.outcomes);
      return values
        .map((v) => JSON.parse(v) as ChangeOutcome)
        .sort((a, b) => b.measuredAt.localeCompare(a.measuredAt) || a.proposalId.localeCompare(b.proposalId));
    },

    async putKnowledge(entry) {
      // The member names the entry without ambiguity even when a category or key holds ':'.
      const member = JSON.stringify([entry.category, entry.key]);
      const score = Date.parse(entry.createdAt);
      // MULTI, not a script: three unconditional writes only need to land together.
      const replies = await redis
        .multi()
        .set(keys.knowledge(entry.category, entry.key), JSON.stringify(entry))
        .zadd(keys.knowledgeIndex(), score, member)
        .zadd(keys.knowledgeIndex(entry.category), score, member)
        .exec();
      const failed = replies?.find(([error]) => error);
      if (failed) throw failed[0];
    },

    async listKnowledge(category, limit) {
      const members = await redis.zrevrange(keys.knowledgeIndex(category), 0, limit - 1);
      if (!members.length) return [];
      const dataKeys = members.map((m) => {
        const [entryCategory, key] = JSON.parse(m) as [string, string];
        return keys.knowledge(entryCategory, key);
      });
      const values = await redis.mget(dataKeys);
      return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as KnowledgeEntry);
    },
  };
}
