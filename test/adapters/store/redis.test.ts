import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisKeys } from '../../../src/adapters/store/redis/keys.ts';
import { createRedisStore } from '../../../src/adapters/store/redis/redis-store.ts';
import { registerScripts } from '../../../src/adapters/store/redis/scripts.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { deleteKeysWithPrefix, probeRedis, randomKeyPrefix, REDIS_TEST_URL } from '../../helpers/redis.ts';
import { describeStoreContract } from './contract.ts';

const redisUp = await probeRedis();

describe.skipIf(!redisUp)('redis store', () => {
  describeStoreContract('redis', async () => {
    // A fresh prefix per test: each test starts from an empty store on the shared server.
    const keyPrefix = randomKeyPrefix('contract');
    const open = () => createRedisStore({ redis: new Redis(REDIS_TEST_URL), keyPrefix, ownsConnection: true });
    const store = open();
    return {
      store,
      openAnother: async () => open(),
      async cleanup() {
        await store.close();
        await deleteKeysWithPrefix(keyPrefix);
      },
    };
  });

  describe('redis key layout', () => {
    const keyPrefix = randomKeyPrefix('layout');
    const keys = createRedisKeys(keyPrefix);
    let redis: Redis;
    beforeAll(() => {
      redis = new Redis(REDIS_TEST_URL);
    });
    afterEach(async () => {
      await deleteKeysWithPrefix(keyPrefix);
    });
    afterAll(() => redis.disconnect());

    it('uses the seed system’s key names when the prefix is empty', () => {
      const seed = createRedisKeys();
      expect(seed.proposal('perf-1')).toBe('improvement:proposal:perf-1');
      expect(seed.history('perf-1')).toBe('improvement:history:perf-1');
      expect(seed.summary).toBe('improvement:proposals:summary');
      expect(seed.knowledge('billing', 'refunds')).toBe('knowledge:billing:refunds');
    });

    it('lists proposals filed before list rows existed, and stores their rows as it reads them', async () => {
      const store = createRedisStore({ redis, keyPrefix });
      const a = await store.create(makeDraft({ type: 'bug_fix', patch: 'diff --git a/x b/x\n' }), { actor: 'c' });
      const b = await store.create(makeDraft({ type: 'feature' }), { actor: 'c' });
      await store.transition({ id: b.id, to: 'rejected', actor: 'u', reason: 'no', idempotencyKey: `old-${b.id}` });
      expect(await redis.hlen(keys.rows)).toBe(2);
      // The previous release wrote no rows: the proposals, streams and indexes are the same.
      await redis.del(keys.rows);

      const listed = await store.list({ sort: 'status', limit: 10, offset: 0 });
      expect(listed.total).toBe(2);
      expect(listed.items.map((p) => [p.id, p.status, p.hasPatch])).toEqual([
        [a.id, 'pending', true],
        [b.id, 'rejected', false],
      ]);
      expect(listed.items[0]).not.toHaveProperty('patch');
      expect(JSON.parse((await redis.hget(keys.rows, a.id))!)).toEqual(listed.items[0]);
      expect(await redis.hlen(keys.rows)).toBe(2);
      // A row is stored only for the version it was built from, and never over one a write stored.
      const { proposal: approved } = await store.transition({ id: a.id, to: 'approved', actor: 'u', idempotencyKey: `old-${a.id}` });
      await redis.hdel(keys.rows, a.id);
      const scripts = registerScripts(redis, keys, { activityMaxLen: 100, idempotencyTtlSeconds: 60 });
      expect(await scripts.backfillRows([{ id: a.id, version: approved.version - 1, row: '{"stale":true}' }])).toBe(0);
      expect(await redis.hexists(keys.rows, a.id)).toBe(0);
      expect(await scripts.backfillRows([{ id: b.id, version: 2, row: '{"over":"a written row"}' }])).toBe(0);
      expect(JSON.parse((await redis.hget(keys.rows, b.id))!)).toMatchObject({ id: b.id, status: 'rejected' });
      const again = await store.list({ status: 'approved', limit: 10, offset: 0 });
      expect(again.items).toEqual([expect.objectContaining({ id: a.id, status: 'approved', version: approved.version })]);
      expect(await redis.hexists(keys.rows, a.id)).toBe(1);
    });

    it('keeps the proposal as plain JSON without its history, the history as a stream as long as the version, and the summary current', async () => {
      const store = createRedisStore({ redis, keyPrefix });
      // Empty arrays and big numbers are what cjson would mangle if Lua re-encoded the proposal.
      const p = await store.create(makeDraft({ evidence: [], magnitude: 12345678901234567 }), { actor: 'cycle' });
      const { proposal } = await store.transition({ id: p.id, to: 'approved', actor: 'alice', idempotencyKey: `layout-${p.id}` });

      const { history, ...withoutHistory } = proposal;
      expect(await redis.get(keys.proposal(p.id))).toBe(JSON.stringify(withoutHistory));
      expect(await redis.xlen(keys.history(p.id))).toBe(history.length);
      expect(history).toHaveLength(proposal.version);
      expect(JSON.parse((await redis.get(keys.summary))!)).toEqual({ total: 1, byStatus: { approved: 1 }, byType: { performance: 1 } });
      expect(await redis.zscore(keys.index({ status: 'approved', type: 'performance' }), p.id)).toBe(String(Date.parse(p.createdAt)));
      expect(await redis.zscore(keys.index({ status: 'pending' }), p.id)).toBeNull();
    });
  });
});
