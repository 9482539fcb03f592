import { BigQueryWarehouseError, type BigQueryFailureKind } from './warehouse-error.ts';

/** What the failing statement was doing, for a message a person can act on. */
export interface FailureContext {
  /** e.g. "reading", "writing to", "pinging". */
  action: string;
  /** The backtick-quoted table, or a description when there is none ("BigQuery"). */
  target: string;
  projectId: string;
  location?: string;
  maximumBytesBilled?: string;
  jobTimeoutMs: number;
}

interface ApiErrorLike {
  code?: number | string;
  message?: string;
  errors?: { reason?: string; message?: string }[];
}

// Reasons from https://cloud.google.com/bigquery/docs/error-messages.
const BY_REASON: Record<string, BigQueryFailureKind> = {
  accessDenied: 'permission_denied',
  notFound: 'not_found',
  bytesBilledLimitExceeded: 'bytes_billed_limit',
  timeout: 'timeout',
  stopped: 'timeout',
  quotaExceeded: 'quota',
  rateLimitExceeded: 'quota',
  billingTierLimitExceeded: 'quota',
  invalidQuery: 'invalid_query',
  invalid: 'invalid_query',
  backendError: 'unavailable',
  internalError: 'unavailable',
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE']);

/** Turns whatever the client threw into a BigQueryWarehouseError with a clear, secret-free message. */
export function mapBigQueryError(error: unknown, context: FailureContext): BigQueryWarehouseError {
  if (error instanceof BigQueryWarehouseError) return error;
  const apiError = (error && typeof error === 'object' ? error : {}) as ApiErrorLike;
  const first = apiError.errors?.find((e) => e.reason) ?? apiError.errors?.[0];
  const reason = first?.reason;
  const status = typeof apiError.code === 'number' ? apiError.code : undefined;
  const said = redactSecrets(first?.message ?? apiError.message ?? String(error));
  const kind = classify(reason, status, apiError, said);
  const subject = `${context.action} ${context.target}`;
  return new BigQueryWarehouseError(kind, `BigQuery: ${explain(kind, subject, context)} (BigQuery said: ${said})`, reason, status);
}

function classify(reason: string | undefined, status: number | undefined, error: ApiErrorLike, said: string): BigQueryFailureKind {
  if (reason && BY_REASON[reason]) {
    // BigQuery reports a job cancelled by its own jobTimeoutMs as "stopped"; a person's cancel too.
    if (reason === 'stopped' && !/time/i.test(said)) return 'unknown';
    return BY_REASON[reason];
  }
  if (status === 401 || /credentials|invalid_grant|unauthenticated|private key/i.test(said)) return 'unauthenticated';
  if (status === 403) return 'permission_denied';
  if (status === 404) return 'not_found';
  if (status === 429) return 'quota';
  if (status !== undefined && status >= 500) return 'unavailable';
  if (typeof error.code === 'string' && NETWORK_CODES.has(error.code)) return 'unavailable';
  return 'unknown';
}

function explain(kind: BigQueryFailureKind, subject: string, context: FailureContext): string {
  switch (kind) {
    case 'permission_denied':
      return `permission denied ${subject}. The credentials need the BigQuery Job User role on project ${context.projectId} and read access (Data Viewer; Data Editor for write-back) on the dataset`;
    case 'not_found':
      return `not found while ${subject}: the table, its dataset or project does not exist${context.location ? ` in location ${context.location}` : ''}`;
    case 'bytes_billed_limit':
      return `the query ${subject} would bill more than the configured maximum of ${context.maximumBytesBilled ?? '(unset)'} bytes, so BigQuery refused to run it. Narrow the window or raise the limit (BigQuery bills at least 10 MiB per query)`;
    case 'timeout':
      return `the job ${subject} did not finish within ${context.jobTimeoutMs} ms and was stopped`;
    case 'quota':
      return `quota or rate limit reached while ${subject}; try again later`;
    case 'invalid_query':
      return `the statement ${subject} was refused as invalid (a column the seed schema has may be missing or of another type)`;
    case 'unauthenticated':
      return `the credentials were refused while ${subject}; check GOOGLE_APPLICATION_CREDENTIALS or the configured key`;
    case 'unavailable':
      return `could not be reached, or failed, while ${subject}`;
    default:
      return `failed while ${subject}`;
  }
}

/** Bearer tokens, signed JWTs and PEM keys never leave in a message, whatever a library put there. */
export function redactSecrets(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted key]')
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted token]')
    .replace(/\b(access_token|refresh_token|client_secret|private_key|assertion)(["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi, '$1$2[redacted]')
    .slice(0, 1000);
}
