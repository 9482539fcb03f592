import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileJobRecords } from '../../../src/adapters/schedule/file-job-records.ts';
import type { JobRecords } from '../../../src/schedule/job-records.ts';
import { createRedisJobRecords } from '../../../src/adapters/schedule/redis-job-records.ts';
import type { JobRecord } from '../../../src/schedule/job-runner.ts';
import { probeRedis, useTestRedis } from '../../helpers/redis.ts';

const redisUp = await probeRedis();

function record(i: number, outcome: JobRecord['outcome']): JobRecord {
  const at = new Date(Date.UTC(2026, 0, 1, i)).toISOString();
  return { job: 'daily-analysis', slot: at, startedAt: at, finishedAt: at, outcome, fence: outcome === 'ran' ? i : null };
}

function jobRecordsContract(make: (keep: number) => JobRecords): void {
  it('keeps the last N records of a job, newest first, and remembers the last success beyond them', async () => {
    const records = make(5);
    await records.add({ ...record(1, 'ran'), counts: { created: 3 } });
    for (let i = 2; i <= 30; i++) await records.add(record(i, 'not-claimed'));
    const recent = await records.recent('daily-analysis');
    expect(recent.map((r) => r.slot)).toEqual([30, 29, 28, 27, 26].map((h) => new Date(Date.UTC(2026, 0, 1, h)).toISOString()));
    expect(await records.lastSuccess('daily-analysis')).toEqual(new Date(Date.UTC(2026, 0, 1, 1)));
  });

  it('never moves the last success backwards when replicas finish out of order', async () => {
    const records = make(5);
    await records.add({ ...record(20, 'ran'), job: 'weekly' });
    await records.add({ ...record(18, 'ran'), job: 'weekly' });
    expect(await records.lastSuccess('weekly')).toEqual(new Date(Date.UTC(2026, 0, 1, 20)));
    expect(await records.lastSuccess('never-ran')).toBeNull();
    expect(await records.recent('never-ran')).toEqual([]);
  });

  it('keeps the counts a run reported', async () => {
    const records = make(5);
    await records.add({ ...record(3, 'ran'), job: 'counted', counts: { findings: 7, created: 2 } });
    expect((await records.recent('counted'))[0]?.counts).toEqual({ findings: 7, created: 2 });
  });
}

describe.skipIf(!redisUp)('job records in Redis', () => {
  const { keyPrefix, redis } = useTestRedis('schedule-records');
  jobRecordsContract((keep) => createRedisJobRecords(redis, { keyPrefix, keep }));

  it('holds no more than N records in its list', async () => {
    const records = createRedisJobRecords(redis, { keyPrefix, keep: 5 });
    for (let i = 1; i <= 12; i++) await records.add({ ...record(i, 'not-claimed'), job: 'capped' });
    expect(await redis.llen(`${keyPrefix}records:capped`)).toBe(5);
  });
});

describe('job records in files (embedded store)', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'job-records-'));
  let n = 0;
  afterAll(() => rm(root, { recursive: true, force: true }));
  jobRecordsContract((keep) => createFileJobRecords(path.join(root, `case-${n++}`), { keep }));

  it('skips a torn last line left by a process killed mid-append', async () => {
    const dir = path.join(root, 'torn');
    const records = createFileJobRecords(dir);
    await records.add({ ...record(1, 'ran'), job: 'torn' });
    await appendFile(path.join(dir, 'torn.jsonl'), '{"job":"torn","slot":');
    expect((await records.recent('torn')).map((r) => r.outcome)).toEqual(['ran']);
  });

  it('cuts its file back to the newest records once it grows to four times as many', async () => {
    const dir = path.join(root, 'cut');
    const records = createFileJobRecords(dir, { keep: 3 });
    for (let i = 1; i <= 13; i++) await records.add({ ...record(i, 'not-claimed'), job: 'cut' });
    expect((await readFile(path.join(dir, 'cut.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(3);
  });
});
