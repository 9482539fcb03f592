/**
 * RELIABILITY.md test 7: a holder paused past its TTL wakes up believing it still holds the lease.
 * The lease cannot stop its late write; the fence at the write does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StaleFence, createRedisFenceGuard } from '../../src/schedule/fenced-write.ts';
import { createRedisSlotLock } from '../../src/schedule/redis-slot-lock.ts';
import { probeRedis, REDIS_TEST_URL, useTestRedis } from '../helpers/redis.ts';
import { reapFixtures, sleep, spawnFixture } from './child-process.ts';

const redisUp = await probeRedis();

describe.skipIf(!redisUp)('fenced writes', () => {
  const { keyPrefix, redis } = useTestRedis('schedule-fence');
  afterEach(reapFixtures);

  it('refuses the late write of a holder frozen past its TTL once another claim took over, and keeps the new holder’s result', async () => {
    const job = 'hourly-auto-execution';
    const resultKey = `${keyPrefix}result:${job}`;
    const firstSlot = Date.UTC(2026, 10, 24, 13);
    const ttlMs = 1000;
    const holderA = spawnFixture('replica.ts', {
      mode: 'fenced-holder',
      url: REDIS_TEST_URL,
      keyPrefix,
      job,
      firstSlot,
      ttlMs,
      holdMs: 1500,
      resultKey,
      count: 1,
      intervalMs: 0,
      maxLatenessMs: 0,
      runMs: 0,
    });
    const claimed = await holderA.waitFor((e) => e.event === 'claimed', 10_000);
    holderA.child.kill('SIGSTOP');
    const stoppedAt = Date.now();

    // B waits out A's lease (bounded), then claims the next slot and writes its result.
    const lockKey = `${keyPrefix}lock:${job}:${new Date(firstSlot).toISOString()}`;
    for (let i = 0; i < 80 && (await redis.exists(lockKey)); i++) await sleep(25);
    expect(await redis.exists(lockKey)).toBe(0);
    const leaseB = await createRedisSlotLock(redis, { keyPrefix }).claim(job, new Date(firstSlot + 3600_000), 5000);
    expect(leaseB!.fence).toBeGreaterThan(Number(claimed.fence));
    const guard = createRedisFenceGuard(redis, { keyPrefix });
    await guard.setIfCurrent(job, leaseB!.fence, resultKey, 'written by B');

    await sleep(Math.max(0, stoppedAt + 3000 - Date.now()));
    holderA.child.kill('SIGCONT');
    const refused = await holderA.waitFor((e) => e.event === 'refused' || e.event === 'written', 10_000);

    expect(refused).toMatchObject({ event: 'refused', error: 'StaleFence', fence: claimed.fence, currentFence: leaseB!.fence });
    expect(await redis.get(resultKey)).toBe('written by B');
    await leaseB!.release();
  }, 30_000);

  it('tells a current fence from a stale one, and writes only with the current one', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const guard = createRedisFenceGuard(redis, { keyPrefix });
    const older = (await lock.claim('digest', new Date('2026-11-24T08:00:00Z'), 5000))!;
    expect(await guard.check('digest', older.fence)).toBe(true);
    const newer = (await lock.claim('digest', new Date('2026-11-25T08:00:00Z'), 5000))!;
    expect(await guard.check('digest', older.fence)).toBe(false);
    expect(await guard.check('digest', newer.fence)).toBe(true);
    await expect(guard.assertCurrent('digest', older.fence)).rejects.toBeInstanceOf(StaleFence);
    await expect(guard.setIfCurrent('digest', older.fence, `${keyPrefix}digest`, 'old')).rejects.toBeInstanceOf(StaleFence);
    await guard.setIfCurrent('digest', newer.fence, `${keyPrefix}digest`, 'new');
    expect(await redis.get(`${keyPrefix}digest`)).toBe('new');
    await expect(guard.check('never-claimed', 1)).resolves.toBe(false);
  });
});
