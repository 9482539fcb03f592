import schedule from 'node-schedule';
import type { Logger } from '../logging.ts';
import { catchUpOnStart } from './catch-up.ts';
import type { JobRecords } from './job-records.ts';
import { runScheduledJob, type JobRecord } from './job-runner.ts';
import { cronSchedule, type JobSchedule } from './job-schedule.ts';
import type { SlotLock } from './slot-lock.ts';
import { readJobStatuses, type JobStatus } from './job-status.ts';

export type { JobStatus };

/** One recurring job: what it does and when. */
export interface JobDefinition {
  name: string;
  cron: string;
  /**
   * The job's work for one slot. `signal` aborts when the slot's lease is lost (another replica may
   * take over); the counts returned go into the job record.
   */
  run(context: { slot: Date; signal: AbortSignal; fence: number }): Promise<void | Record<string, number>>;
}

export interface SchedulerOptions {
  jobs: JobDefinition[];
  timezone: string;
  lock: SlotLock;
  records: JobRecords;
  /** Lease of a running slot, renewed while the run lasts (default one minute). */
  leaseMs?: number;
  maxLatenessMs: number;
  /** On start, run once each job whose last success is older than its latest slot. */
  catchUp: boolean;
  logger: Logger;
  /** Told of every slot this replica saw, including the ones another replica ran (for metrics). */
  onRecord?: (record: JobRecord) => void;
  now?: () => Date;
}

export interface Scheduler {
  /** Schedules every job; catch-up runs in the background and settles `caughtUp`. */
  start(): void;
  readonly caughtUp: Promise<{ job: string; slot: Date; record: JobRecord }[]>;
  status(recentPerJob?: number): Promise<JobStatus[]>;
  /** When each job fires next, from its cron alone (no store read). */
  nextRuns(): { job: string; at: string }[];
  /** Stops firing and waits for the runs in flight. */
  stop(): Promise<void>;
}

/**
 * Fires each job on its cron with node-schedule and runs every slot through a slot claim, so that
 * replicas run each slot once and a catch-up burst after a stall runs nothing twice.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const leaseMs = options.leaseMs ?? 60_000;
  const schedules = new Map<string, JobSchedule>(options.jobs.map((job) => [job.name, cronSchedule(job.cron, options.timezone)]));
  const fired: schedule.Job[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let resolveCaughtUp!: (value: { job: string; slot: Date; record: JobRecord }[]) => void;
  const caughtUp = new Promise<{ job: string; slot: Date; record: JobRecord }[]>((resolve) => (resolveCaughtUp = resolve));
  let stopped = false;

  async function runSlot(job: JobDefinition, slot: Date, maxLatenessMs: number): Promise<JobRecord> {
    const record = await runScheduledJob({
      job: job.name,
      slot,
      lock: options.lock,
      ttlMs: leaseMs,
      maxLatenessMs,
      now,
      run: (lease, signal) => job.run({ slot, signal, fence: lease.fence }),
      onSkip: (skipped, reason) =>
        skipped.outcome === 'skipped-late'
          ? logger.warn({ job: job.name, slot: skipped.slot, reason }, 'scheduled run skipped: too late')
          : logger.debug({ job: job.name, slot: skipped.slot, reason }, 'slot taken by another run'),
    });
    options.onRecord?.(record);
    if (record.outcome === 'failed') logger.error({ job: job.name, slot: record.slot, error: record.error }, 'scheduled job failed');
    if (record.outcome === 'ran') logger.info({ job: job.name, slot: record.slot, counts: record.counts }, 'scheduled job ran');
    // Slots another replica ran are not worth a record each: the winner records its run.
    if (record.outcome !== 'not-claimed') {
      await options.records
        .add(record)
        .catch((error: unknown) => logger.warn({ err: error, job: job.name }, 'could not keep the job record'));
    }
    return record;
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  return {
    caughtUp,
    start() {
      for (const job of options.jobs) {
        const scheduled = schedule.scheduleJob({ rule: job.cron, tz: options.timezone }, (fireDate: Date) => {
          if (stopped) return;
          // fireDate is the slot node-schedule meant, also for the runs it replays after a stall.
          void track(runSlot(job, fireDate, options.maxLatenessMs));
        });
        if (!scheduled) throw new Error(`node-schedule refused the cron of ${job.name}: ${job.cron}`);
        fired.push(scheduled);
      }
      if (!options.catchUp) {
        resolveCaughtUp([]);
        return;
      }
      const byName = new Map(options.jobs.map((job) => [job.name, job]));
      void track(
        catchUpOnStart(
          options.jobs.map((job) => ({ job: job.name, schedule: schedules.get(job.name)! })),
          {
            now,
            lastSuccess: (job) => options.records.lastSuccess(job),
            // A catch-up is late by design; it may run any time before the job's next slot.
            runSlot: (name, slot) => runSlot(byName.get(name)!, slot, schedules.get(name)!.nextSlot(slot).getTime() - slot.getTime()),
          },
        ).then(
          (done) => {
            resolveCaughtUp(done.map(({ job, slot, result }) => ({ job, slot, record: result })));
            for (const { job, slot } of done) logger.info({ job, slot: slot.toISOString() }, 'missed slot caught up at start');
          },
          (error: unknown) => {
            logger.warn({ err: error }, 'catch-up at start failed; the jobs wait for their next slots');
            resolveCaughtUp([]);
          },
        ),
      );
    },
    status(recentPerJob = 10) {
      return readJobStatuses(
        options.jobs.map((job) => ({ job: job.name, cron: job.cron })),
        { timezone: options.timezone, records: options.records, firing: !stopped, recentPerJob, now: now() },
      );
    },
    nextRuns() {
      const at = now();
      return options.jobs.map((job) => ({ job: job.name, at: schedules.get(job.name)!.nextSlot(at).toISOString() }));
    },
    async stop() {
      stopped = true;
      for (const job of fired.splice(0)) job.cancel();
      await Promise.allSettled([...inFlight]);
    },
  };
}
