import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging.ts';
import { createFileJobRecords } from '../../src/adapters/schedule/file-job-records.ts';
import { createFileSlotLock } from '../../src/adapters/schedule/file-slot-lock.ts';
import type { JobRecords } from '../../src/schedule/job-records.ts';
import { createRedisJobRecords } from '../../src/adapters/schedule/redis-job-records.ts';
import { createRedisSlotLock } from '../../src/adapters/schedule/redis-slot-lock.ts';
import { createScheduler, type JobDefinition, type Scheduler } from '../../src/schedule/scheduler.ts';
import type { SlotLock } from '../../src/schedule/slot-lock.ts';
import { probeRedis, REDIS_TEST_URL, useTestRedis } from '../helpers/redis.ts';
import { reapFixtures, sleep, spawnFixture } from './child-process.ts';

const redisUp = await probeRedis();
const running: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function start(jobs: JobDefinition[], lock: SlotLock, records: JobRecords, extra: { catchUp?: boolean; now?: () => Date } = {}): Scheduler {
  const scheduler = createScheduler({
    jobs,
    timezone: 'UTC',
    lock,
    records,
    leaseMs: 2000,
    maxLatenessMs: 800,
    catchUp: extra.catchUp ?? false,
    logger: silentLogger(),
    ...(extra.now ? { now: extra.now } : {}),
  });
  scheduler.start();
  running.push(scheduler);
  return scheduler;
}

function everySecond(runs: string[]): JobDefinition {
  return {
    name: 'every-second',
    cron: '* * * * * *',
    async run({ slot }) {
      runs.push(slot.toISOString());
      return { runs: 1 };
    },
  };
}

describe.skipIf(!redisUp)('the scheduler on Redis', () => {
  const { keyPrefix, redis } = useTestRedis('scheduler');

  it('fires a per-second job on two schedulers sharing a lock and runs each slot once, with a record of each run', async () => {
    const lock = createRedisSlotLock(redis, { keyPrefix });
    const records = createRedisJobRecords(redis, { keyPrefix });
    const runs: string[] = [];
    const a = start([everySecond(runs)], lock, records);
    start([everySecond(runs)], lock, records);
    await sleep(3200);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(runs).size).toBe(runs.length);
    const [status] = await a.status();
    expect(
      status?.recent
        .filter((r) => r.outcome === 'ran')
        .map((r) => r.slot)
        .sort(),
    ).toEqual([...runs].sort());
    expect(status?.recent[0]?.counts).toEqual({ runs: 1 });
    expect(Date.parse(status!.nextRun!)).toBeGreaterThan(Date.now() - 1000);
    expect(status?.lastSuccess).not.toBeNull();
  });

  it('runs a slot missed while the service was down once at start, on one of three replicas', async () => {
    const records = createRedisJobRecords(redis, { keyPrefix: `${keyPrefix}catch-up:` });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await records.add({
      job: 'daily-analysis',
      slot: twoDaysAgo.toISOString(),
      startedAt: twoDaysAgo.toISOString(),
      finishedAt: twoDaysAgo.toISOString(),
      outcome: 'ran',
      fence: 1,
    });
    const runs: string[] = [];
    const daily: JobDefinition = { name: 'daily-analysis', cron: '0 2 * * *', run: async ({ slot }) => void runs.push(slot.toISOString()) };
    const lock = createRedisSlotLock(redis, { keyPrefix: `${keyPrefix}catch-up:` });
    const replicas = [0, 1, 2].map(() => start([daily], lock, records, { catchUp: true }));
    const outcomes = (await Promise.all(replicas.map((r) => r.caughtUp))).flat().map((c) => c.record.outcome);
    expect(outcomes.sort()).toEqual(['not-claimed', 'not-claimed', 'ran']);
    expect(runs).toHaveLength(1);
    // The latest 02:00 slot, not one run per missed day.
    expect(new Date(runs[0]!).getUTCHours()).toBe(2);
    expect(Date.now() - Date.parse(runs[0]!)).toBeLessThan(86_400_000);

    // A restart right after: the last success is recent, nothing runs again.
    const again = start([daily], lock, records, { catchUp: true });
    expect(await again.caughtUp).toEqual([]);
    expect(runs).toHaveLength(1);
  });
});

describe('the scheduler on the embedded store’s file lock', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'scheduler-files-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs each slot once when two schedulers on one machine share the lock directory', async () => {
    const runs: string[] = [];
    const lock = createFileSlotLock(path.join(dir, 'locks'));
    const records = createFileJobRecords(path.join(dir, 'records'));
    start([everySecond(runs)], lock, records);
    start([everySecond(runs)], createFileSlotLock(path.join(dir, 'locks')), records);
    await sleep(3200);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(runs).size).toBe(runs.length);
    expect((await records.recent('every-second')).filter((r) => r.outcome === 'ran')).toHaveLength(runs.length);
  });

  it('records a failing job with its error and keeps firing it', async () => {
    let calls = 0;
    const failing: JobDefinition = {
      name: 'failing',
      cron: '* * * * * *',
      async run() {
        calls++;
        throw new Error('warehouse unavailable');
      },
    };
    const records = createFileJobRecords(path.join(dir, 'failing-records'));
    start([failing], createFileSlotLock(path.join(dir, 'failing-locks')), records);
    await sleep(2300);
    expect(calls).toBeGreaterThanOrEqual(2);
    const recent = await records.recent('failing');
    expect(recent.every((r) => r.outcome === 'failed' && r.error === 'warehouse unavailable')).toBe(true);
    expect(await records.lastSuccess('failing')).toBeNull();
  });
});

describe.skipIf(!redisUp)('the real scheduler on three replica processes', () => {
  const { keyPrefix, redis } = useTestRedis('scheduler-replicas');
  afterEach(reapFixtures);

  it('runs each second’s slot once while one replica is frozen with SIGSTOP and replays its missed slots', async () => {
    const settings = { url: REDIS_TEST_URL, keyPrefix, durationMs: 9000, maxLatenessMs: 1500, runMs: 50 };
    const replicas = [0, 1, 2].map(() => spawnFixture('scheduler-replica.ts', settings));
    await Promise.all(replicas.map((r) => r.waitFor((e) => e.event === 'started', 15_000)));
    await sleep(1500);
    replicas[0]!.child.kill('SIGSTOP');
    await sleep(3000);
    replicas[0]!.child.kill('SIGCONT');
    await Promise.all(replicas.map((r) => r.waitFor((e) => e.event === 'done', 20_000)));

    const execs = (await redis.lrange(`${keyPrefix}exec`, 0, -1)).map((line) => line.split(' ')[1]!);
    expect(execs.length).toBeGreaterThanOrEqual(5);
    expect(new Set(execs).size).toBe(execs.length);
    // The frozen replica fired its missed slots on resuming: each was refused or skipped as late.
    const frozen = replicas[0]!.events.filter((e) => e.event === 'record');
    const replayed = frozen.filter((e) => Date.parse(String(e.startedAt)) - Date.parse(String(e.slot)) > 1000);
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.every((e) => e.outcome !== 'ran')).toBe(true);
    console.info(
      `3 replicas, real node-schedule, 1 frozen 3 s: ${execs.length} slots run once each; the frozen one replayed ${replayed.length} (${replayed.filter((e) => e.outcome === 'skipped-late').length} skipped late, ${replayed.filter((e) => e.outcome === 'not-claimed').length} refused)`,
    );
  }, 40_000);
});
