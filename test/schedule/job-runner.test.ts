import { describe, expect, it } from 'vitest';
import { runScheduledJob, type JobRecord } from '../../src/schedule/job-runner.ts';
import { createRedisSlotLock } from '../../src/adapters/schedule/redis-slot-lock.ts';
import { probeRedis, useTestRedis } from '../helpers/redis.ts';
import { sleep } from './child-process.ts';

const redisUp = await probeRedis();

describe.skipIf(!redisUp)('running one scheduled slot', () => {
  const { keyPrefix, redis } = useTestRedis('schedule-runner');

  it('skips a slot that fires later than the lateness limit, says why, and claims nothing', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const skipped: [JobRecord, string][] = [];
    let ran = false;
    const slot = new Date('2026-03-01T02:00:00Z');
    const record = await runScheduledJob({
      job: 'late',
      slot,
      lock,
      ttlMs: 1000,
      maxLatenessMs: 60_000,
      now: () => new Date('2026-03-01T02:05:00Z'),
      run: async () => void (ran = true),
      onSkip: (r, reason) => skipped.push([r, reason]),
    });
    expect(record).toMatchObject({ outcome: 'skipped-late', fence: null });
    expect(ran).toBe(false);
    expect(skipped[0]![1]).toMatch(/300000 ms after its slot; the limit is 60000 ms/);
    expect(await redis.exists(`${keyPrefix}done:late:${slot.toISOString()}`)).toBe(0);
  });

  it('reports a slot another run claimed as not claimed', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const slot = new Date();
    await lock.claim('taken', slot, 1000);
    const reasons: string[] = [];
    const record = await runScheduledJob({
      job: 'taken',
      slot,
      lock,
      ttlMs: 1000,
      maxLatenessMs: 5000,
      run: async () => {},
      onSkip: (_r, why) => reasons.push(why),
    });
    expect(record.outcome).toBe('not-claimed');
    expect(reasons).toEqual(['the slot was claimed by another run']);
  });

  it('records a failed run with its error and releases the lease', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const slot = new Date();
    const record = await runScheduledJob({
      job: 'fails',
      slot,
      lock,
      ttlMs: 5000,
      maxLatenessMs: 5000,
      run: async () => {
        throw new Error('warehouse unreachable');
      },
    });
    expect(record).toMatchObject({ outcome: 'failed', error: 'warehouse unreachable' });
    expect(record.fence).toBeGreaterThan(0);
    expect(await redis.exists(`${keyPrefix}lock:fails:${slot.toISOString()}`)).toBe(0);
  });

  it('aborts the run’s signal when the lease is lost', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const slot = new Date();
    let reason: unknown;
    await runScheduledJob({
      job: 'loses',
      slot,
      lock,
      ttlMs: 300,
      renewEveryMs: 50,
      maxLatenessMs: 5000,
      async run(_lease, signal) {
        await redis.del(`${keyPrefix}lock:loses:${slot.toISOString()}`); // as if it had expired
        for (let i = 0; i < 20 && !signal.aborted; i++) await sleep(50);
        reason = signal.reason;
      },
    });
    expect(reason).toMatchObject({ name: 'LeaseLost' });
  });
});
