import type { JobRecord } from '../schedule/job-runner.ts';
import { cronSchedule } from '../schedule/job-schedule.ts';
import type { JobStatus } from '../schedule/job-status.ts';

/** What the shared job records say about whether some process's scheduler is firing the jobs. */
export interface SchedulerEvidence {
  /** A job recorded one of its two latest slots: a scheduler is running, in this process's config or not. */
  running: boolean;
  /** The newest record of any job, or null when no scheduler ever recorded a run in this store. */
  latest: JobRecord | null;
}

/**
 * The CLI has no scheduler of its own, and its ENABLE_SELF_IMPROVEMENT says nothing about the
 * server's; the records every scheduler writes to the shared store do. A job's current slot may be
 * still running (it is recorded when it finishes), so the slot before counts as fresh too.
 */
export function schedulerEvidence(jobs: JobStatus[], timezone: string, now: Date): SchedulerEvidence {
  let latest: JobRecord | null = null;
  let running = false;
  for (const job of jobs) {
    const newest = job.recent[0];
    if (!newest) continue;
    if (!latest || newest.finishedAt > latest.finishedAt) latest = newest;
    const schedule = cronSchedule(job.cron, timezone);
    const current = schedule.previousSlot(now);
    const before = schedule.previousSlot(new Date(current.getTime() - 1));
    if (Date.parse(newest.slot) >= before.getTime()) running = true;
  }
  return { running, latest };
}

/** The first line of `jobs`: the records' word first, this process's setting second. */
export function describeScheduler(evidence: SchedulerEvidence, enabledHere: boolean): string {
  const here = enabledHere ? 'ENABLE_SELF_IMPROVEMENT is true here' : 'ENABLE_SELF_IMPROVEMENT is not true here';
  const last = evidence.latest;
  if (!last) return `Scheduler: no run recorded in this store yet (${here})`;
  const what = `${last.job} recorded its ${last.slot} slot at ${last.finishedAt}`;
  if (evidence.running) return `Scheduler running (per the shared job records: ${what}; ${here})`;
  return `Scheduler: no recent run recorded (the last: ${what}; ${here})`;
}
