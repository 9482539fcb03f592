import { timestampValue, type DuckDBConnection, type DuckDBType, type DuckDBValue, type JS } from '@duckdb/node-api';

/**
 * Every query the adapter runs with values in it goes through here: prepared, the values bound,
 * never spliced into the SQL text. Only DDL, which DuckDB cannot parameterize, uses sqlString().
 */
export async function queryRows(
  connection: DuckDBConnection,
  sql: string,
  values: DuckDBValue[] = [],
  types?: DuckDBType[],
): Promise<Record<string, JS>[]> {
  const prepared = await connection.prepare(sql);
  try {
    if (values.length > 0) prepared.bind(values, types);
    const reader = await prepared.runAndReadAll();
    return reader.getRowObjectsJS();
  } finally {
    prepared.destroySync();
  }
}

/** A window bound as a TIMESTAMP (UTC, microseconds). */
export function timestampParameter(date: Date): DuckDBValue {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('A time window bound is not a valid date');
  return timestampValue(BigInt(Math.trunc(ms)) * 1000n);
}

/** A SQL string literal for DDL (file paths from configuration, never request text). */
export function sqlString(value: string): string {
  if (value.includes('\0')) throw new RangeError('A path for DuckDB contains a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** DuckDB counts are BIGINT (bigint in JS); our counts fit in a number. */
export function toNumber(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (value === null || value === undefined) return 0;
  return Number(value);
}

export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  throw new TypeError(`Expected a timestamp from DuckDB, got ${typeof value}`);
}

export function assertCap(cap: number): void {
  if (!Number.isSafeInteger(cap) || cap < 0) throw new RangeError(`A cap is a whole number ≥ 0, not ${cap}`);
}
