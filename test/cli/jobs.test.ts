import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileJobRecords } from '../../src/adapters/schedule/file-job-records.ts';
import { cronSchedule } from '../../src/schedule/job-schedule.ts';
import { makeDataDir, runBinary } from './binary.ts';

describe('improvement-loop jobs', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  beforeAll(async () => {
    dirs = await makeDataDir();
    // Where the server's scheduler keeps its records on the embedded store.
    const records = createFileJobRecords(path.join(dirs.dataDir, 'schedule', 'records'));
    await records.add({
      job: 'daily-analysis',
      slot: '2026-11-24T02:00:00.000Z',
      startedAt: '2026-11-24T02:00:00.020Z',
      finishedAt: '2026-11-24T02:01:10.000Z',
      outcome: 'ran',
      fence: 3,
      counts: { findings: 9, created: 2 },
    });
    await records.add({
      job: 'hourly-auto-execution',
      slot: '2026-11-24T10:30:00.000Z',
      startedAt: '2026-11-24T10:30:00.010Z',
      finishedAt: '2026-11-24T10:30:01.000Z',
      outcome: 'failed',
      error: 'store unavailable',
      fence: 8,
    });
  });
  afterAll(() => dirs?.remove());

  it('shows every job with its cron, next run, last success and last outcome', async () => {
    const table = await runBinary(['jobs'], { dataDir: dirs.dataDir, cwd: dirs.cwd });
    expect(table.code).toBe(0);
    // Records from days ago: no scheduler is firing now, and the line says when one last did.
    expect(table.stdout.split('\n')[0]).toBe(
      'Scheduler: no recent run recorded (the last: hourly-auto-execution recorded its 2026-11-24T10:30:00.000Z slot at ' +
        '2026-11-24T10:30:01.000Z; ENABLE_SELF_IMPROVEMENT is not true here)',
    );
    expect(table.stdout).toMatch(/daily-analysis +0 2 \* \* \* +\S+ +2026-11-24T02:01:10.000Z +ran \(findings 9, created 2\)/);
    expect(table.stdout).toMatch(/hourly-auto-execution +30 \* \* \* \* +\S+ +never +failed: store unavailable/);

    const json = JSON.parse(
      (await runBinary(['jobs', '--json'], { dataDir: dirs.dataDir, cwd: dirs.cwd, env: { SCHEDULE_DAILY: '15 3 * * *' } })).stdout,
    );
    const daily = json.jobs.find((j: { job: string }) => j.job === 'daily-analysis');
    expect(daily).toMatchObject({ cron: '15 3 * * *', lastSuccess: '2026-11-24T02:01:10.000Z' });
    expect(new Date(daily.nextRun).getUTCHours()).toBe(3);
    expect(json.jobs.map((j: { job: string }) => j.job)).toEqual([
      'daily-analysis',
      'weekly-proposals',
      'monthly-refactoring',
      'hourly-auto-execution',
      'regression-watch',
      'daily-digest',
    ]);
  });
});

describe('improvement-loop jobs beside a server whose scheduler is on', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  let slot: Date;
  beforeAll(async () => {
    dirs = await makeDataDir();
    // What a server's scheduler wrote for the hourly job's latest slot: this CLI's config has it off.
    slot = cronSchedule('30 * * * *', 'UTC').previousSlot(new Date());
    const records = createFileJobRecords(path.join(dirs.dataDir, 'schedule', 'records'));
    await records.add({
      job: 'hourly-auto-execution',
      slot: slot.toISOString(),
      startedAt: new Date(slot.getTime() + 10).toISOString(),
      finishedAt: new Date(slot.getTime() + 900).toISOString(),
      outcome: 'ran',
      fence: 12,
      counts: { executed: 0 },
    });
  });
  afterAll(() => dirs?.remove());

  it('says a scheduler is running, from the shared records, not "off" from its own setting', async () => {
    const [table, json] = await Promise.all([
      runBinary(['jobs'], { dataDir: dirs.dataDir, cwd: dirs.cwd }),
      runBinary(['jobs', '--json'], { dataDir: dirs.dataDir, cwd: dirs.cwd }),
    ]);
    // Two CLIs open a fresh store at once here; say why if one of them fails (seen once in CI, not reproduced).
    expect(table.code, table.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toBe(
      `Scheduler running (per the shared job records: hourly-auto-execution recorded its ${slot.toISOString()} slot at ` +
        `${new Date(slot.getTime() + 900).toISOString()}; ENABLE_SELF_IMPROVEMENT is not true here)`,
    );
    expect(table.stdout).not.toMatch(/Scheduler off/);
    expect(JSON.parse(json.stdout)).toMatchObject({
      enabled: false,
      scheduler: { running: true, latest: { job: 'hourly-auto-execution', slot: slot.toISOString() } },
    });
  });

  it('says no run was recorded when the store has no records at all', async () => {
    const empty = await makeDataDir();
    try {
      const table = await runBinary(['jobs'], { dataDir: empty.dataDir, cwd: empty.cwd });
      expect(table.stdout.split('\n')[0]).toBe('Scheduler: no run recorded in this store yet (ENABLE_SELF_IMPROVEMENT is not true here)');
    } finally {
      await empty.remove();
    }
  });
});
