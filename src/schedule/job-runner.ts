import type { Lease, SlotLock } from './slot-lock.ts';
import { errorMessage } from '../domain/errors.ts';

/** What happened to one slot of one job on this replica: what health endpoints and logs show. */
export interface JobRecord {
  job: string;
  slot: string;
  startedAt: string;
  finishedAt: string;
  outcome: 'ran' | 'skipped-late' | 'not-claimed' | 'failed';
  error?: string;
  /** The lease's fence when this replica ran the slot; null when it did not claim it. */
  fence: number | null;
  /** What the run did, in its own words: findings, proposals filed, executions… */
  counts?: Record<string, number>;
}

/** The lease was lost while the job ran (renewal refused or failed): its writes will be refused too. */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
}

export interface ScheduledJobRun {
  job: string;
  /** The time the schedule meant this run for (node-schedule's fireDate), not the time it fired. */
  slot: Date;
  lock: SlotLock;
  ttlMs: number;
  /** Runs that start later than this after their slot are skipped: a stalled replica's replayed runs. */
  maxLatenessMs: number;
  now?: () => Date;
  /** The job's work. `signal` aborts when the lease is lost; writes should still carry `lease.fence`. */
  run: (lease: Lease, signal: AbortSignal) => Promise<void | Record<string, number>>;
  /** Default a third of the TTL, so two renewals can fail before the lease lapses. */
  renewEveryMs?: number;
  /** Told of every slot this replica did not run, with why, for a log line. */
  onSkip?: (record: JobRecord, reason: string) => void;
}

/** Claims the slot, runs the job while renewing the lease, releases it, and says what happened. */
export async function runScheduledJob(options: ScheduledJobRun): Promise<JobRecord> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const base = { job: options.job, slot: options.slot.toISOString(), startedAt: startedAt.toISOString() };
  const skip = (outcome: 'skipped-late' | 'not-claimed', reason: string): JobRecord => {
    const record: JobRecord = { ...base, finishedAt: now().toISOString(), outcome, fence: null };
    options.onSkip?.(record, reason);
    return record;
  };

  const lateness = startedAt.getTime() - options.slot.getTime();
  if (lateness > options.maxLatenessMs) {
    return skip('skipped-late', `started ${lateness} ms after its slot; the limit is ${options.maxLatenessMs} ms`);
  }
  const lease = await options.lock.claim(options.job, options.slot, options.ttlMs);
  if (!lease) return skip('not-claimed', 'the slot was claimed by another run');
  // No second lateness check here: a claim that came back late (a frozen process, a claim queued
  // through a Redis outage) still runs, because nobody else can run a claimed slot.

  const lost = new AbortController();
  const renewing = setInterval(
    () => {
      lease.renew(options.ttlMs).then(
        (kept) => kept || lost.abort(new LeaseLost(`lease of ${options.job} at ${base.slot} was lost`)),
        (error: unknown) => lost.abort(new LeaseLost(`could not renew the lease of ${options.job}: ${errorMessage(error)}`)),
      );
    },
    options.renewEveryMs ?? Math.max(1, Math.floor(options.ttlMs / 3)),
  );
  try {
    const counts = await options.run(lease, lost.signal);
    return { ...base, finishedAt: now().toISOString(), outcome: 'ran', fence: lease.fence, ...(counts ? { counts } : {}) };
  } catch (error) {
    return { ...base, finishedAt: now().toISOString(), outcome: 'failed', error: errorMessage(error), fence: lease.fence };
  } finally {
    clearInterval(renewing);
    // A failed release only leaves the lease to expire; the slot is claimed either way.
    await lease.release().catch(() => undefined);
  }
}
