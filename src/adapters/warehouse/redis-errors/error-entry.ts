/**
 * One error occurrence as the seed keeps it in Redis: a stream entry's fields, or a JSON object
 * pushed onto a list, both with `error_message`, `error_stack`, `endpoint` and `timestamp`.
 */

export interface ErrorOccurrence {
  message: string;
  stack: string | null;
  endpoint: string | null;
  timestamp: Date;
}

/** Fields as read from Redis: strings from a stream, any JSON value from a list. */
export type ErrorEntryFields = Record<string, unknown>;

/**
 * The occurrence the fields describe, or null when they do not describe one (no message, a stack or
 * endpoint that is not text, a timestamp that is not a time). `fallbackTime` stands in for a missing
 * timestamp: a stream entry's id carries the time it was added.
 */
export function parseErrorEntry(fields: ErrorEntryFields, fallbackTime?: Date): ErrorOccurrence | null {
  const message = fields.error_message;
  if (typeof message !== 'string' || message === '') return null;
  const stack = optionalText(fields.error_stack);
  const endpoint = optionalText(fields.endpoint);
  if (stack === undefined || endpoint === undefined) return null;
  const raw = fields.timestamp;
  const timestamp = raw === undefined || raw === null || raw === '' ? (fallbackTime ?? null) : parseTimestamp(raw);
  if (!timestamp) return null;
  return { message, stack, endpoint, timestamp };
}

/** Text, or null for absent/empty (Redis streams cannot hold a null); undefined when not text at all. */
function optionalText(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  return typeof value === 'string' ? value : undefined;
}

const EPOCH_MS = /^\d{1,16}(\.\d+)?$/;
// Python's datetime.isoformat() without tzinfo: the warehouse stores such times as UTC, so do we
// (JavaScript would read them as local time).
const NAIVE_ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Epoch milliseconds (number or digits) or an ISO 8601 string; null when it is neither. */
export function parseTimestamp(value: unknown): Date | null {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (typeof value !== 'string') return null;
  else if (EPOCH_MS.test(value)) ms = Number(value);
  else ms = Date.parse(NAIVE_ISO.test(value) ? `${value.replace(' ', 'T')}Z` : value);
  return Number.isFinite(ms) ? new Date(Math.floor(ms)) : null;
}
