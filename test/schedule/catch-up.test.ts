import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { catchUpOnStart, missedSlot } from '../../src/schedule/catch-up.ts';
import { cronSchedule } from '../../src/schedule/job-schedule.ts';
import { runScheduledJob } from '../../src/schedule/job-runner.ts';
import { createRedisSlotLock } from '../../src/adapters/schedule/redis-slot-lock.ts';
import { deleteKeysWithPrefix, probeRedis, randomKeyPrefix, REDIS_TEST_URL } from '../helpers/redis.ts';

const at = (iso: string) => new Date(iso);
const hourlyAt = (minute: number) => cronSchedule(`${minute} * * * *`);
const dailyAt = (hour: number) => cronSchedule(`0 ${hour} * * *`);

describe('job schedules', () => {
  it('finds the latest slot at or before a time for hourly, daily, weekly and monthly rules', () => {
    const now = at('2026-11-24T13:27:00Z'); // a Tuesday
    expect(hourlyAt(5).previousSlot(now)).toEqual(at('2026-11-24T13:05:00Z'));
    expect(hourlyAt(30).previousSlot(now)).toEqual(at('2026-11-24T12:30:00Z'));
    expect(dailyAt(2).previousSlot(now)).toEqual(at('2026-11-24T02:00:00Z'));
    expect(dailyAt(18).previousSlot(now)).toEqual(at('2026-11-23T18:00:00Z'));
    expect(cronSchedule('0 6 * * 1').previousSlot(now)).toEqual(at('2026-11-23T06:00:00Z'));
    expect(cronSchedule('0 14 * * 2').previousSlot(now)).toEqual(at('2026-11-17T14:00:00Z'));
    expect(cronSchedule('0 8 1 * *').previousSlot(now)).toEqual(at('2026-11-01T08:00:00Z'));
    expect(cronSchedule('0 8 1 * *').previousSlot(at('2026-01-01T07:00:00Z'))).toEqual(at('2025-12-01T08:00:00Z'));
    expect(dailyAt(2).previousSlot(at('2026-11-24T02:00:00Z'))).toEqual(at('2026-11-24T02:00:00Z'));
    expect(dailyAt(2).nextSlot(at('2026-11-24T02:00:00Z'))).toEqual(at('2026-11-25T02:00:00Z'));
  });

  it('reads the cron in the configured time zone', () => {
    // 02:00 in Berlin is 01:00 UTC in winter and 00:00 UTC in summer.
    expect(cronSchedule('0 2 * * *', 'Europe/Berlin').previousSlot(at('2026-11-24T13:27:00Z'))).toEqual(at('2026-11-24T01:00:00Z'));
    expect(cronSchedule('0 2 * * *', 'Europe/Berlin').previousSlot(at('2026-07-01T13:27:00Z'))).toEqual(at('2026-07-01T00:00:00Z'));
  });

  it('refuses a malformed cron expression when the schedule is made', () => {
    expect(() => cronSchedule('61 2 * * *')).toThrow();
  });
});

describe('catching up at start', () => {
  it('runs a job whose last success is older than its latest slot once, for that slot, however many slots it missed', async () => {
    const runs: [string, string][] = [];
    const done = await catchUpOnStart(
      [
        { job: 'hourly-auto-execution', schedule: hourlyAt(0) },
        { job: 'daily-analysis', schedule: dailyAt(2) },
        { job: 'weekly-analysis', schedule: cronSchedule('0 6 * * 1') },
      ],
      {
        now: () => at('2026-11-24T13:27:00Z'),
        // Hourly: 30 hours down (30 missed slots). Daily: ran today. Weekly: ran two weeks ago.
        lastSuccess: async (job) =>
          ({
            'hourly-auto-execution': at('2026-11-23T07:00:10Z'),
            'daily-analysis': at('2026-11-24T02:03:00Z'),
            'weekly-analysis': at('2026-11-09T06:10:00Z'),
          })[job] ?? null,
        runSlot: async (job, slot) => void runs.push([job, slot.toISOString()]),
      },
    );
    expect(runs).toEqual([
      ['hourly-auto-execution', '2026-11-24T13:00:00.000Z'],
      ['weekly-analysis', '2026-11-23T06:00:00.000Z'],
    ]);
    expect(done).toHaveLength(2);
  });

  it('leaves a job that never ran to its schedule', () => {
    expect(missedSlot(dailyAt(2), null, at('2026-11-24T13:27:00Z'))).toBeNull();
  });
});

const redisUp = await probeRedis();

describe.skipIf(!redisUp)('catching up at start on several replicas', () => {
  const keyPrefix = randomKeyPrefix('schedule-catch-up');
  const clients: Redis[] = [];
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await deleteKeysWithPrefix(keyPrefix);
  });

  it('runs the missed slot on one replica only when three start together', async () => {
    let runs = 0;
    const now = () => at('2026-11-24T13:27:00Z');
    const replica = () => {
      const redis = new Redis(REDIS_TEST_URL);
      clients.push(redis);
      const lock = createRedisSlotLock(redis, { keyPrefix });
      return catchUpOnStart([{ job: 'daily-analysis', schedule: dailyAt(2) }], {
        now,
        lastSuccess: async () => at('2026-11-22T02:04:00Z'),
        runSlot: (job, slot) =>
          // A catch-up run is late by design: it may start any time before the next slot.
          runScheduledJob({ job, slot, lock, ttlMs: 5000, maxLatenessMs: 24 * 3600_000, now, run: async () => void runs++ }),
      });
    };
    const results = (await Promise.all([replica(), replica(), replica()])).flat();
    expect(results.map((r) => r.result.outcome).sort()).toEqual(['not-claimed', 'not-claimed', 'ran']);
    expect(runs).toBe(1);
  });
});
