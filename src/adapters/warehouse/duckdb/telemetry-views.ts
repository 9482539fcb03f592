import { TIMESTAMP, type DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier, queryRows, sqlString, timestampParameter, toDate, toNumber } from './sql-statements.ts';
import { materialize } from './telemetry-cache.ts';
import type { TableSource } from './telemetry-files.ts';
import type { TelemetryColumn, TelemetryTable } from './telemetry-tables.ts';

/**
 * One view per telemetry table over its files, under the seed's schema-qualified name, with every
 * column in the type the queries expect: timestamps become UTC TIMESTAMPs whatever the source wrote
 * (TIMESTAMPTZ, ISO text with or without an offset, epoch milliseconds), metadata becomes JSON text.
 * A Parquet TIMESTAMP column is passed through untouched, so window filters reach the Parquet reader
 * and skip row groups.
 */

export class TelemetrySchemaError extends Error {
  override name = 'TelemetrySchemaError';
}

/**
 * Moves every timestamp by whole days so that rows ending at `dataEnd` (exclusive) end at `end`: a
 * fixed UTC day, or 'today', the start of the current UTC day at each query, so a server left
 * running keeps a current sample. A shifted column is an expression, so window filters no longer
 * skip Parquet row groups (bench/sample-shift.ts measures the cost).
 */
export interface TimeShift {
  dataEnd: Date;
  end: Date | 'today';
}

/** The view's row count and newest timestamp, read once it is created. */
export interface ViewSummary {
  rows: number;
  newest: Date | null;
}

const DAY_MS = 86_400_000;

export interface TelemetryViewOptions {
  shift?: TimeShift;
  /**
   * For CSV and NDJSON: the Parquet file the normalized rows are converted to once (telemetry-cache.ts),
   * which the view then reads; absent, the view parses the text files at every query.
   */
  cacheFile?: string;
}

export async function createTelemetryView(
  connection: DuckDBConnection,
  source: TableSource,
  options: TelemetryViewOptions = {},
): Promise<ViewSummary> {
  const { table } = source;
  const { shift } = options;
  const detected = await describeColumns(connection, reader(source));
  const missing = table.columns.filter((column) => column.required && !detected.has(column.name));
  if (missing.length > 0) {
    throw new TelemetrySchemaError(
      `${table.qualifiedName} (${source.files.join(', ')}) lacks the column${missing.length > 1 ? 's' : ''} ${missing.map((column) => column.name).join(', ')}; ` +
        `expected ${table.columns.map((column) => `${column.name}${column.required ? '' : ' (optional)'}`).join(', ')}`,
    );
  }
  // JSON is read with our own column types: objects in `metadata` stay JSON text instead of structs
  // whose missing keys would come back as nulls, and timestamps arrive as text we convert ourselves.
  const sourceTypes =
    source.format === 'json'
      ? new Map(table.columns.filter((column) => detected.has(column.name)).map((column) => [column.name, jsonReadType(column)]))
      : detected;
  const from = source.format === 'json' ? reader(source, sourceTypes) : reader(source);
  const column = (name: string, expression: string) => `${expression} AS ${quoteIdentifier(name)}`;
  const moved = (c: TelemetryColumn, expression: string) => (c.type === 'TIMESTAMP' && shift ? shifted(expression, shift) : expression);
  if (options.cacheFile && source.format !== 'parquet') {
    const normalizedRows = table.columns.map((c) => column(c.name, normalized(c, sourceTypes.get(c.name))));
    await materialize(connection, `SELECT ${normalizedRows.join(', ')} FROM ${from}`, options.cacheFile);
    const select = table.columns.map((c) => column(c.name, moved(c, quoteIdentifier(c.name))));
    await createView(connection, table, `SELECT ${select.join(', ')} FROM read_parquet(${sqlString(options.cacheFile)})`);
    return summarize(connection, table);
  }
  const select = table.columns.map((c) => column(c.name, moved(c, normalized(c, sourceTypes.get(c.name)))));
  await createView(connection, table, `SELECT ${select.join(', ')} FROM ${from}`);
  return summarize(connection, table);
}

/** A table without files: an empty view with its columns, so any query of it answers no rows. */
export async function createEmptyTelemetryView(connection: DuckDBConnection, table: TelemetryTable): Promise<void> {
  const select = table.columns.map((column) => `CAST(NULL AS ${column.type}) AS ${quoteIdentifier(column.name)}`);
  await createView(connection, table, `SELECT ${select.join(', ')} WHERE false`);
}

/** Rows of `table` in [from, to) and its newest timestamp. */
export async function windowSummary(connection: DuckDBConnection, table: TelemetryTable, from: Date, to: Date): Promise<ViewSummary> {
  const [row] = await queryRows(
    connection,
    `SELECT count(*) FILTER (WHERE ${timeOf(table)} >= $1 AND ${timeOf(table)} < $2) AS n, max(${timeOf(table)}) AS newest FROM ${viewName(table)}`,
    [timestampParameter(from), timestampParameter(to)],
    [TIMESTAMP, TIMESTAMP],
  );
  return { rows: toNumber(row?.n ?? 0), newest: row?.newest == null ? null : toDate(row.newest) };
}

async function createView(connection: DuckDBConnection, table: TelemetryTable, select: string): Promise<void> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(table.schema)}`);
  await connection.run(`CREATE OR REPLACE VIEW ${viewName(table)} AS ${select}`);
}

async function summarize(connection: DuckDBConnection, table: TelemetryTable): Promise<ViewSummary> {
  const [row] = await queryRows(connection, `SELECT count(*) AS n, max(${timeOf(table)}) AS newest FROM ${viewName(table)}`);
  return { rows: toNumber(row?.n ?? 0), newest: row?.newest == null ? null : toDate(row.newest) };
}

/** The table's first timestamp column: "timestamp" in the seed's tables, "deployed_at" in deployments. */
function timeOf(table: TelemetryTable): string {
  return quoteIdentifier(table.columns.find((c) => c.type === 'TIMESTAMP')?.name ?? 'timestamp');
}

function viewName(table: TelemetryTable): string {
  return `${quoteIdentifier(table.schema)}.${quoteIdentifier(table.name)}`;
}

function shifted(expression: string, shift: TimeShift): string {
  const dataEndDay = shift.dataEnd.toISOString().slice(0, 10);
  if (shift.end === 'today') return `(${expression} + (current_date - DATE '${dataEndDay}') * INTERVAL 1 DAY)`;
  const days = Math.round((startOfDay(shift.end) - startOfDay(shift.dataEnd)) / DAY_MS);
  return days === 0 ? expression : `(${expression} + INTERVAL ${days} DAY)`;
}

function startOfDay(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS) * DAY_MS;
}

function reader(source: TableSource, jsonColumns?: Map<string, string>): string {
  const files = `[${source.patterns.map(sqlString).join(', ')}]`;
  switch (source.format) {
    case 'parquet':
      return `read_parquet(${files}, union_by_name = true)`;
    case 'csv':
      return `read_csv(${files}, header = true, union_by_name = true)`;
    case 'json': {
      if (!jsonColumns) return `read_json(${files}, format = 'auto', union_by_name = true)`;
      const columns = [...jsonColumns].map(([name, type]) => `${quoteIdentifier(name)}: ${sqlString(type)}`);
      return `read_json(${files}, format = 'auto', columns = {${columns.join(', ')}})`;
    }
  }
}

async function describeColumns(connection: DuckDBConnection, from: string): Promise<Map<string, string>> {
  const rows = await queryRows(connection, `DESCRIBE SELECT * FROM ${from}`);
  return new Map(rows.map((row) => [String(row.column_name), String(row.column_type).toUpperCase()]));
}

function jsonReadType(column: TelemetryColumn): string {
  if (column.type === 'TIMESTAMP') return 'VARCHAR';
  if (column.name === 'metadata') return 'JSON';
  return column.type === 'INTEGER' ? 'BIGINT' : column.type;
}

/** The SQL expression that turns a source column of `sourceType` into the column's type. */
function normalized(column: TelemetryColumn, sourceType: string | undefined): string {
  const id = quoteIdentifier(column.name);
  if (sourceType === undefined) return `CAST(NULL AS ${column.type})`;
  if (column.type === 'TIMESTAMP') return timestampExpression(id, sourceType);
  if (sourceType === column.type) return id;
  if (column.type === 'VARCHAR') {
    const nested = sourceType.startsWith('STRUCT') || sourceType.startsWith('MAP') || sourceType.endsWith(']');
    return nested ? `CAST(to_json(${id}) AS VARCHAR)` : `CAST(${id} AS VARCHAR)`;
  }
  return `TRY_CAST(${id} AS ${column.type})`;
}

function timestampExpression(id: string, sourceType: string): string {
  if (sourceType === 'TIMESTAMP') return id;
  if (sourceType === 'TIMESTAMP WITH TIME ZONE') return `timezone('UTC', ${id})`;
  if (/^(?:U?(?:TINY|SMALL|BIG|HUGE)?INT(?:EGER)?|DOUBLE|FLOAT|DECIMAL.*)$/.test(sourceType)) return `epoch_ms(CAST(${id} AS BIGINT))`;
  if (sourceType === 'VARCHAR') {
    // Digits alone are epoch milliseconds; anything else is ISO text, its offset honored, UTC when absent.
    return `CASE WHEN regexp_full_match(trim(${id}), '[0-9]+') THEN epoch_ms(CAST(trim(${id}) AS BIGINT)) ELSE timezone('UTC', CAST(${id} AS TIMESTAMPTZ)) END`;
  }
  return `CAST(${id} AS TIMESTAMP)`;
}
