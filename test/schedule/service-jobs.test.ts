import { describe, expect, it } from 'vitest';
import type { ImprovementLoop } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { type CycleReport } from '../../src/cycle/run-cycle.ts';
import { CycleAlreadyRunning } from '../../src/domain/errors.ts';
import { JOB_NAMES, jobStatuses, scheduledJobs } from '../../src/schedule/service-jobs.ts';

const report = { findings: 4, created: [{}], updated: [], suppressed: [], autoExecuted: [], errors: [] } as unknown as CycleReport;

function appWith(runCycle: ImprovementLoop['runCycle']): Pick<ImprovementLoop, 'config' | 'runCycle' | 'jobStore' | 'jobDecisions'> {
  // Only the cycle jobs are run here; the store and decisions are never reached.
  return { config: loadConfig({}), runCycle, jobStore: undefined as never, jobDecisions: undefined as never };
}

describe('the scheduled jobs', () => {
  it('are the seed’s jobs on the configured crons, with the digest only when something can show it', () => {
    const jobs = scheduledJobs(appWith(async () => ({ report })));
    expect(jobs.map((j) => [j.name, j.cron])).toEqual([
      ['daily-analysis', '0 2 * * *'],
      ['weekly-proposals', '0 6 * * 1'],
      ['monthly-refactoring', '0 8 1 * *'],
      ['hourly-auto-execution', '30 * * * *'],
      ['regression-watch', '5 * * * *'],
    ]);
    expect(
      scheduledJobs(
        appWith(async () => ({ report })),
        { digest: async () => undefined },
      ).map((j) => j.name),
    ).toContain('daily-digest');
  });

  it('waits out a cycle someone started by hand instead of failing the slot', async () => {
    let calls = 0;
    const [daily] = scheduledJobs(
      appWith(async () => {
        calls += 1;
        if (calls < 3) throw new CycleAlreadyRunning('busy');
        return { report };
      }),
      { cycleRetryMs: 10 },
    );
    const counts = await daily!.run({ slot: new Date(), signal: new AbortController().signal, fence: 1 });
    expect(calls).toBe(3);
    expect(counts).toMatchObject({ findings: 4, created: 1 });
  });

  it('gives up waiting when the slot’s lease is lost', async () => {
    const lost = new AbortController();
    const [daily] = scheduledJobs(
      appWith(async () => Promise.reject(new CycleAlreadyRunning('busy'))),
      { cycleRetryMs: 50 },
    );
    const running = daily!.run({ slot: new Date(), signal: lost.signal, fence: 1 });
    lost.abort();
    await expect(running).rejects.toThrow(/abort/i);
  });
});

describe('the job statuses', () => {
  const noRecords = { add: async () => undefined, recent: async () => [], lastSuccess: async () => null };
  const github = { GITHUB_TOKEN: 'ghp_x', GITHUB_REPOSITORY: 'acme/shop', GIT_REMOTE: 'origin' };

  it('list the pull-request poll, on its cron, when a code host is followed by polling', async () => {
    const config = loadConfig({ ...github, SCHEDULE_PULL_REQUESTS: '*/7 * * * *' });
    const statuses = await jobStatuses(config, noRecords);
    expect(statuses.map((s) => s.job)).toEqual([...JOB_NAMES, 'pull-request-poll']);
    expect(statuses.at(-1)?.cron).toBe('*/7 * * * *');
  });

  it('leave it out when webhooks replace the poll, or no code host is set', async () => {
    const withWebhooks = loadConfig({ ...github, GITHUB_WEBHOOK_SECRET: 's3cret-s3cret-s3cret' });
    expect((await jobStatuses(withWebhooks, noRecords)).map((s) => s.job)).toEqual([...JOB_NAMES]);
    expect((await jobStatuses(loadConfig({}), noRecords)).map((s) => s.job)).toEqual([...JOB_NAMES]);
  });
});
