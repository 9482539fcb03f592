import type { JobRecord } from './job-runner.ts';

/**
 * The last N records of each job, for health endpoints, and the time of its last successful run,
 * for catch-up at start. A separate last-success key because on a replica most records are slots
 * another replica ran, and a capped list would soon forget the last success.
 */
export interface JobRecords {
  add(record: JobRecord): Promise<void>;
  /** Newest first. */
  recent(job: string, limit?: number): Promise<JobRecord[]>;
  lastSuccess(job: string): Promise<Date | null>;
}
