import type { BigQuery, Job } from '@google-cloud/bigquery';
import { mapBigQueryError, type FailureContext } from './map-bigquery-error.ts';
import type { QueryParameter } from './query-parameters.ts';
import { BigQueryWarehouseError } from './warehouse-error.ts';

export type ResultRow = Record<string, unknown>;

export interface JobRequest {
  sql: string;
  parameters: QueryParameter[];
  /** A label value naming the port method, so the bill can be split per method in INFORMATION_SCHEMA.JOBS. */
  operation: string;
  action: string;
  target: string;
}

export interface JobSettings {
  projectId: string;
  location?: string;
  maximumBytesBilled?: string;
  jobTimeoutMs: number;
}

/**
 * Runs one statement as one BigQuery job (jobs.insert, then getQueryResults page by page) and returns
 * every row. Each job carries maximumBytesBilled, when configured, because bytes scanned are the
 * user's bill, and jobTimeoutMs, so BigQuery itself stops a runaway job. The client also gives up a
 * little after that deadline (and cancels the job) in case the server never says so.
 */
export function createJobRunner(client: BigQuery, settings: JobSettings) {
  const deadlineMs = settings.jobTimeoutMs + Math.max(1_000, Math.round(settings.jobTimeoutMs / 4));

  return async function runJob(request: JobRequest): Promise<ResultRow[]> {
    const context: FailureContext = { ...settings, action: request.action, target: request.target };
    let job: Job | undefined;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        stopped = true;
        if (job) job.cancel().catch(() => undefined);
        reject(
          new BigQueryWarehouseError(
            'timeout',
            `BigQuery: the job ${request.action} ${request.target} did not finish within ${settings.jobTimeoutMs} ms; it was cancelled`,
          ),
        );
      }, deadlineMs);
    });
    const work = (async () => {
      [job] = await client.createQueryJob({
        query: request.sql,
        useLegacySql: false,
        parameterMode: 'named',
        queryParameters: request.parameters,
        ...(settings.maximumBytesBilled ? { maximumBytesBilled: settings.maximumBytesBilled } : {}),
        jobTimeoutMs: settings.jobTimeoutMs,
        ...(settings.location ? { location: settings.location } : {}),
        labels: { application: 'improvement-loop', operation: request.operation },
        jobPrefix: 'improvement_loop_',
      });
      return readAllPages(job, () => stopped);
    })();
    try {
      return await Promise.race([work, deadline]);
    } catch (error) {
      throw mapBigQueryError(error, context);
    } finally {
      clearTimeout(timer);
      stopped = true;
      work.catch(() => undefined);
    }
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;

/**
 * Pages by hand rather than with autoPaginate so the loop can stop at the deadline. A page with
 * jobComplete false means the job is still running: BigQuery held the request (its long poll) and
 * the same page is asked for again.
 */
async function readAllPages(job: Job, isStopped: () => boolean): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  let pageToken: string | undefined;
  for (;;) {
    if (isStopped()) return rows;
    const [page, , response] = await job.getQueryResults({ autoPaginate: false, ...(pageToken ? { pageToken } : {}) });
    if (response?.jobComplete === false) continue;
    rows.push(...(page as ResultRow[]));
    pageToken = response?.pageToken ?? undefined;
    if (!pageToken) return rows;
  }
}
