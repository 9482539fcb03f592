/** What went wrong, so a caller (CLI exit code, HTTP status, cycle report) can tell a bill from a typo. */
export type BigQueryFailureKind =
  | 'invalid_configuration'
  | 'permission_denied'
  | 'not_found'
  | 'bytes_billed_limit'
  | 'timeout'
  | 'quota'
  | 'invalid_query'
  | 'unauthenticated'
  | 'unavailable'
  | 'closed'
  | 'unknown';

/**
 * Every failure the BigQuery warehouse reports. It carries BigQuery's reason and HTTP status but never
 * the client's error object: that one holds the request, and the request holds the bearer token.
 */
export class BigQueryWarehouseError extends Error {
  override name = 'BigQueryWarehouseError';
  constructor(
    readonly kind: BigQueryFailureKind,
    message: string,
    readonly reason?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
