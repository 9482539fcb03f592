/**
 * Failures in BigQuery's JSON error format (`{ error: { code, message, errors: [{ reason }] , status } }`),
 * with the reasons and wording BigQuery uses (https://cloud.google.com/bigquery/docs/error-messages).
 */

export interface BigQueryErrorBody {
  code: number;
  message: string;
  errors: { message: string; domain: string; reason: string; location?: string; locationType?: string }[];
  status: string;
}

export interface FakeFailure {
  error: BigQueryErrorBody;
  /**
   * 'response' (default): the request that starts the query answers with the HTTP error.
   * 'job': jobs.insert succeeds with a DONE job whose status carries the error, and getQueryResults
   * answers with the HTTP error, as BigQuery does for failures found while the job runs.
   */
  deliver?: 'response' | 'job';
}

export function bigQueryFailure(
  code: number,
  reason: string,
  message: string,
  status: string,
  deliver?: FakeFailure['deliver'],
): FakeFailure {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }], status }, ...(deliver ? { deliver } : {}) };
}

/** `table` as BigQuery names it: "project:dataset.table". */
export const fakeFailures = {
  accessDenied: (table: string) =>
    bigQueryFailure(
      403,
      'accessDenied',
      `Access Denied: Table ${table}: User does not have permission to query table ${table}, or perhaps it does not exist.`,
      'PERMISSION_DENIED',
    ),
  notFound: (table: string, location = 'US') =>
    bigQueryFailure(404, 'notFound', `Not found: Table ${table} was not found in location ${location}`, 'NOT_FOUND'),
  bytesBilledLimitExceeded: (limit: string, required: string) =>
    bigQueryFailure(
      400,
      'bytesBilledLimitExceeded',
      `Query exceeded limit for bytes billed: ${limit}. ${required} or higher required.`,
      'INVALID_ARGUMENT',
    ),
  invalidQuery: (message: string) => bigQueryFailure(400, 'invalidQuery', message, 'INVALID_ARGUMENT'),
  jobTimeout: (seconds: number) =>
    bigQueryFailure(400, 'stopped', `Job execution was cancelled: Job timed out after ${seconds} sec`, 'INVALID_ARGUMENT', 'job'),
};
