import type { Redis } from 'ioredis';
import { sameDeployment, type Deployment } from '../../../domain/deployment.ts';
import type { ChangeOutcome } from '../../../domain/outcome.ts';
import type { DeploymentRecordResult, KnowledgeEntry, PerformanceGain } from '../../../ports/store.ts';
import type { RedisKeys } from './keys.ts';

/** Records that live beside proposals: realized gains, change outcomes and knowledge entries. */
export interface SideRecords {
  recordGain(gain: PerformanceGain): Promise<void>;
  listGains(): Promise<PerformanceGain[]>;
  recordOutcome(outcome: ChangeOutcome): Promise<void>;
  listOutcomes(): Promise<ChangeOutcome[]>;
  recordDeployment(deployment: Deployment): Promise<DeploymentRecordResult>;
  listDeployments(window: { from: Date; to: Date }): Promise<Deployment[]>;
  putKnowledge(entry: KnowledgeEntry): Promise<void>;
  getKnowledge(category: string, key: string): Promise<KnowledgeEntry | null>;
  deleteKnowledge(category: string, key: string): Promise<boolean>;
  listKnowledge(category: string | undefined, limit: number): Promise<KnowledgeEntry[]>;
}

// The first record of an id wins and is indexed by time in the same step; a later one reads it back.
const RECORD_DEPLOYMENT = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  return false
end
return redis.call('HGET', KEYS[1], ARGV[1])`;

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

    async recordDeployment(deployment) {
      const doc = JSON.stringify(deployment);
      const stored = (await redis.eval(
        RECORD_DEPLOYMENT,
        2,
        keys.deployments,
        keys.deploymentTimes,
        deployment.id,
        doc,
        Date.parse(deployment.deployedAt),
      )) as string | null;
      if (stored === null) return { result: 'recorded', deployment };
      const first = JSON.parse(stored) as Deployment;
      return { result: sameDeployment(first, deployment) ? 'duplicate' : 'conflict', deployment: first };
    },

    async listDeployments(window) {
      // Scores are milliseconds; the window's end is exclusive.
      const ids = await redis.zrangebyscore(keys.deploymentTimes, window.from.getTime(), `(${window.to.getTime()}`);
      if (!ids.length) return [];
      const docs = await redis.hmget(keys.deployments, ...ids);
      return docs
        .filter((d): d is string => d !== null)
        .map((d) => JSON.parse(d) as Deployment)
        .sort((a, b) => Date.parse(a.deployedAt) - Date.parse(b.deployedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
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

    async getKnowledge(category, key) {
      const value = await redis.get(keys.knowledge(category, key));
      return value === null ? null : (JSON.parse(value) as KnowledgeEntry);
    },

    async deleteKnowledge(category, key) {
      const member = JSON.stringify([category, key]);
      const replies = await redis
        .multi()
        .del(keys.knowledge(category, key))
        .zrem(keys.knowledgeIndex(), member)
        .zrem(keys.knowledgeIndex(category), member)
        .exec();
      const failed = replies?.find(([error]) => error);
      if (failed) throw failed[0];
      return replies?.[0]?.[1] === 1;
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
