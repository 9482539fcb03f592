import { describe, expect, it } from 'vitest';
import { createRedisJobRecords } from '../../src/schedule/job-records.ts';
import type { JobRecord } from '../../src/schedule/job-runner.ts';
import { probeRedis, useTestRedis } from '../helpers/redis.ts';

const redisUp = await probeRedis();

function record(i: number, outcome: JobRecord['outcome']): JobRecord {
  const at = new Date(Date.UTC(2026, 0, 1, i)).toISOString();
  return { job: 'daily-analysis', slot: at, startedAt: at, finishedAt: at, outcome, fence: outcome === 'ran' ? i : null };
}

describe.skipIf(!redisUp)('job records', () => {
  const { keyPrefix, redis } = useTestRedis('schedule-records');

  it('keeps only the last N records of a job, newest first, and remembers the last success beyond them', async () => {
    const records = createRedisJobRecords(redis, { keyPrefix, keep: 5 });
    await records.add(record(1, 'ran'));
    for (let i = 2; i <= 12; i++) await records.add(record(i, 'not-claimed'));
    const recent = await records.recent('daily-analysis');
    expect(recent.map((r) => r.slot)).toEqual([12, 11, 10, 9, 8].map((h) => new Date(Date.UTC(2026, 0, 1, h)).toISOString()));
    expect(await redis.llen(`${keyPrefix}records:daily-analysis`)).toBe(5);
    expect(await records.lastSuccess('daily-analysis')).toEqual(new Date(Date.UTC(2026, 0, 1, 1)));
  });

  it('never moves the last success backwards when replicas finish out of order', async () => {
    const records = createRedisJobRecords(redis, { keyPrefix, keep: 5 });
    await records.add({ ...record(20, 'ran'), job: 'weekly' });
    await records.add({ ...record(18, 'ran'), job: 'weekly' });
    expect(await records.lastSuccess('weekly')).toEqual(new Date(Date.UTC(2026, 0, 1, 20)));
    expect(await records.lastSuccess('never-ran')).toBeNull();
  });
});
