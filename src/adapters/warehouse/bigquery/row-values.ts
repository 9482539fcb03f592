/**
 * BigQuery's typed cells, as the Node client hands them over, turned into the port's plain types.
 * The client parses INT64 and FLOAT64 to numbers, TIMESTAMP to a BigQueryTimestamp (an object whose
 * `value` is an ISO string with microseconds) and leaves JSON as text; these converters also accept
 * the raw REST forms (numeric strings, int64 microseconds, float seconds), so a change of client
 * options cannot silently turn a count into a string.
 */

type Row = Record<string, unknown>;

export function numberCell(row: Row, column: string): number {
  const value = nullableNumberCell(row, column);
  if (value === null) throw new TypeError(`BigQuery returned null in ${column}, which cannot be null`);
  return value;
}

export function nullableNumberCell(row: Row, column: string): number | null {
  const value = unwrap(row[column]);
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    if (!Number.isNaN(parsed) || value === 'NaN') return parsed;
  }
  throw new TypeError(`BigQuery returned ${describe(value)} in ${column}, expected a number`);
}

/** A latency aggregate over no values (every response_time_ms null) is NaN, as in the memory warehouse. */
export function numberOrNaNCell(row: Row, column: string): number {
  return nullableNumberCell(row, column) ?? Number.NaN;
}

export function dateCell(row: Row, column: string): Date {
  const value = nullableDateCell(row, column);
  if (!value) throw new TypeError(`BigQuery returned null in ${column}, which cannot be null`);
  return value;
}

export function nullableDateCell(row: Row, column: string): Date | null {
  const value = unwrap(row[column]);
  if (value === null || value === undefined) return null;
  const date = toDate(value);
  if (!date || Number.isNaN(date.getTime())) throw new TypeError(`BigQuery returned ${describe(value)} in ${column}, expected a timestamp`);
  return date;
}

export function textCell(row: Row, column: string): string {
  return nullableTextCell(row, column) ?? '';
}

export function nullableTextCell(row: Row, column: string): string | null {
  const value = unwrap(row[column]);
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/**
 * metadata may be a JSON column (text from the client) or a STRING column holding JSON. An object is
 * kept; anything else (null, an array, a scalar, text that is not JSON) reads as {}, as in the DuckDB
 * adapter, so analyzers see the same metadata from either warehouse.
 */
export function metadataCell(row: Row, column: string): Record<string, unknown> {
  const value = row[column];
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** BigQueryTimestamp, BigQueryInt and Big all carry their text in `value`. */
function unwrap(value: unknown): unknown {
  if (value && typeof value === 'object' && !(value instanceof Date) && 'value' in value) {
    return (value as { value: unknown }).value;
  }
  return value;
}

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value === 'number') return new Date(value);
  if (typeof value !== 'string') return null;
  // The REST forms: int64 microseconds ("1700000000123456") or float seconds ("1.700000000123456E9").
  if (/^-?\d+$/.test(value)) return new Date(Math.floor(Number(BigInt(value) / 1000n)));
  if (/^-?\d+(\.\d+)?(E[+-]?\d+)?$/i.test(value)) return new Date(Math.round(Number(value) * 1000));
  return new Date(value);
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
