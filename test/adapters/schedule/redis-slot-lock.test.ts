import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { runScheduledJob } from '../../../src/schedule/job-runner.ts';
import { createRedisSlotLock } from '../../../src/adapters/schedule/redis-slot-lock.ts';
import { probeRedis, useTestRedis } from '../../helpers/redis.ts';
import { sleep } from '../../schedule/child-process.ts';

const redisUp = await probeRedis();

describe.skipIf(!redisUp)('the Redis slot lock', () => {
  const { keyPrefix, redis } = useTestRedis('schedule-lock');

  it('gives a slot to the first of many concurrent claims, and fences grow with each claim of the job', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const slot = new Date('2026-01-01T02:00:00Z');
    const leases = await Promise.all(Array.from({ length: 20 }, () => lock.claim('race', slot, 5000)));
    const winners = leases.filter((l) => l !== null);
    expect(winners).toHaveLength(1);
    const next = await lock.claim('race', new Date('2026-01-02T02:00:00Z'), 5000);
    expect(next!.fence).toBeGreaterThan(winners[0]!.fence);
  });

  it('never gives a claimed slot again, even after its lease expired or was released', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const slot = new Date('2026-01-01T03:00:00Z');
    const first = await lock.claim('once', slot, 100);
    expect(first).not.toBeNull();
    await sleep(200);
    expect(await redis.exists(`${keyPrefix}lock:once:${slot.toISOString()}`)).toBe(0);
    expect(await lock.claim('once', slot, 100)).toBeNull();
    const other = await lock.claim('once', new Date('2026-01-01T04:00:00Z'), 1000);
    await other!.release();
    expect(await lock.claim('once', new Date('2026-01-01T04:00:00Z'), 1000)).toBeNull();
    // The marker is kept for a day, not forever.
    const ttl = await redis.pttl(`${keyPrefix}done:once:${slot.toISOString()}`);
    expect(ttl).toBeGreaterThan(23 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('lets only the holder renew or release its lease', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const slot = new Date('2026-01-01T05:00:00Z');
    const lease = (await lock.claim('holder', slot, 1000))!;
    const key = `${keyPrefix}lock:holder:${slot.toISOString()}`;
    expect(await lease.renew(5000)).toBe(true);
    expect(await redis.pttl(key)).toBeGreaterThan(4000);
    // Another holder's token in the key (as if the lease had passed to someone else): ours cannot touch it.
    await redis.set(key, 'another-holder', 'PX', 5000);
    expect(await lease.renew(5000)).toBe(false);
    await lease.release();
    expect(await redis.get(key)).toBe('another-holder');
    await redis.set(key, lease.token, 'PX', 5000);
    await lease.release();
    expect(await redis.exists(key)).toBe(0);
  });

  it('keeps the lease of a run that lasts longer than its TTL by renewing it', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const slot = new Date();
    const key = `${keyPrefix}lock:long:${slot.toISOString()}`;
    const ttls: number[] = [];
    let aborted = false;
    const record = await runScheduledJob({
      job: 'long',
      slot,
      lock,
      ttlMs: 300,
      maxLatenessMs: 1000,
      renewEveryMs: 100,
      async run(_lease, signal) {
        for (let i = 0; i < 12; i++) {
          await sleep(100);
          ttls.push(await redis.pttl(key));
        }
        aborted = signal.aborted;
      },
    });
    expect(record.outcome).toBe('ran');
    expect(aborted).toBe(false);
    // 1.2 s of work under a 300 ms TTL: the key never lapsed (PTTL -2 would mean it was gone).
    expect(Math.min(...ttls)).toBeGreaterThan(0);
    expect(await redis.exists(key)).toBe(0); // released at the end
  });

  it('measures how long a slot claim takes (300 sequential claims)', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const base = Date.UTC(2026, 5, 1);
    await lock.claim('latency', new Date(base - 1000), 1000); // loads the script
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const started = performance.now();
      await lock.claim('latency', new Date(base + i * 1000), 1000);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const p50 = times[150]!;
    const p99 = times[296]!;
    console.info(
      `slot claim latency over 300 claims: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms, max ${times[299]!.toFixed(3)} ms`,
    );
    expect(p50).toBeLessThan(20);
  });
});
