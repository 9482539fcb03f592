import type { JobSchedule } from './job-schedule.ts';

/**
 * At start, a job whose last success is older than its latest slot missed that slot (the service
 * was down, or the run failed): it runs once, for the latest slot only, not once per missed slot.
 * The catch-up claims the same slot key as a regular run, so replicas starting together run it once,
 * and a slot that was claimed before (even by a run that then crashed) is not run again: the job
 * waits for its next slot. A job that never ran waits for its first slot.
 */
export function missedSlot(schedule: JobSchedule, lastSuccess: Date | null, now: Date): Date | null {
  if (!lastSuccess) return null;
  const slot = schedule.previousSlot(now);
  return lastSuccess < slot ? slot : null;
}

export interface CatchUpJob {
  job: string;
  schedule: JobSchedule;
}

export interface CatchUpDeps<R> {
  lastSuccess(job: string): Promise<Date | null>;
  /** Runs the slot (runScheduledJob with a lateness limit that admits it, e.g. the job's interval). */
  runSlot(job: string, slot: Date): Promise<R>;
  now?: () => Date;
}

/** Runs each job's missed slot once; returns what each catch-up did. */
export async function catchUpOnStart<R>(jobs: CatchUpJob[], deps: CatchUpDeps<R>): Promise<{ job: string; slot: Date; result: R }[]> {
  const now = (deps.now ?? (() => new Date()))();
  const done: { job: string; slot: Date; result: R }[] = [];
  for (const { job, schedule } of jobs) {
    const slot = missedSlot(schedule, await deps.lastSuccess(job), now);
    if (slot) done.push({ job, slot, result: await deps.runSlot(job, slot) });
  }
  return done;
}
