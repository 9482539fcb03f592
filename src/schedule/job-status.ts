import type { JobRecords } from './job-records.ts';
import type { JobRecord } from './job-runner.ts';
import { cronSchedule } from './job-schedule.ts';

export interface JobStatus {
  job: string;
  cron: string;
  timezone: string;
  /** null while no scheduler fires the job. */
  nextRun: string | null;
  lastSuccess: string | null;
  /** Newest first: runs, failures and late skips across replicas (slots another replica ran are not repeated). */
  recent: JobRecord[];
}

/** What each job did lately (from the shared records) and when it fires next (from its cron). */
export async function readJobStatuses(
  jobs: { job: string; cron: string }[],
  options: { timezone: string; records: JobRecords; firing: boolean; recentPerJob: number; now: Date },
): Promise<JobStatus[]> {
  return Promise.all(
    jobs.map(async ({ job, cron }) => {
      const [recent, lastSuccess] = await Promise.all([
        options.records.recent(job, options.recentPerJob),
        options.records.lastSuccess(job),
      ]);
      return {
        job,
        cron,
        timezone: options.timezone,
        nextRun: options.firing ? cronSchedule(cron, options.timezone).nextSlot(options.now).toISOString() : null,
        lastSuccess: lastSuccess?.toISOString() ?? null,
        recent,
      };
    }),
  );
}
