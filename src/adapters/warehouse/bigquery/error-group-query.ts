import type { ErrorGroupCount } from '../../../ports/warehouse.ts';
import { foldStepSql, uuidStepSql, type SqlDialect } from '../error-message-key.ts';
import type { WarehouseTables } from './identifiers.ts';
import type { ResultRow } from './job-runner.ts';
import { dateCell, nullableTextCell, numberCell, textCell } from './row-values.ts';

/** BigQuery's spelling of the key's SQL (error-message-key.ts); REGEXP_* are RE2 here as in DuckDB. */
export const BIGQUERY_DIALECT: SqlDialect = {
  replaceAll: (text, pattern, replacement) => `REGEXP_REPLACE(${text}, ${pattern}, ${replacement})`,
  matches: (text, pattern) => `REGEXP_CONTAINS(${text}, ${pattern})`,
  contains: (text, part) => `STRPOS(${text}, ${part}) > 0`,
  length: (text) => `CHAR_LENGTH(${text})`,
  // A raw string keeps the pattern's backslashes; none of the key's texts holds a quote.
  quote: (text) => {
    if (text.includes("'")) throw new RangeError('A key pattern for BigQuery must not contain a quote');
    return `r'${text}'`;
  },
};

/**
 * The same grouping as DuckDB's (duckdb/error-group-queries.ts): identical messages first, then
 * per key and endpoint the sum, first and last seen, and the commonest message with its latest
 * stack. It reads the columns errorMessages reads (message, endpoint, stack, timestamp), so it
 * bills the same bytes, and it has no cap.
 */
export function errorGroupsSql(tables: WarehouseTables): string {
  const top = (column: string) => `ARRAY_AGG(STRUCT(${column} AS v) ORDER BY n DESC, last_seen DESC, message LIMIT 1)[OFFSET(0)].v`;
  return `WITH exact AS (
  SELECT
    error_message AS message,
    endpoint,
    COUNT(*) AS n,
    MIN(timestamp) AS first_seen,
    MAX(timestamp) AS last_seen,
    -- the latest occurrence's stack, even when it is null (ARRAY_AGG refuses bare null elements)
    ARRAY_AGG(STRUCT(error_stack AS stack) ORDER BY timestamp DESC LIMIT 1)[OFFSET(0)].stack AS stack
  FROM ${tables.errorLogs}
  WHERE timestamp >= @from AND timestamp < @to
    AND error_message IS NOT NULL
  GROUP BY error_message, endpoint
), stepped AS (
  SELECT *, ${uuidStepSql('message', BIGQUERY_DIALECT)} AS u FROM exact
), keyed AS (
  SELECT *, ${foldStepSql('u', BIGQUERY_DIALECT)} AS key FROM stepped
)
SELECT
  key,
  endpoint,
  SUM(n) AS occurrences,
  COUNT(*) AS messages,
  MIN(first_seen) AS first_seen,
  MAX(last_seen) AS last_seen,
  ${top('message')} AS message,
  ${top('stack')} AS stack,
  MAX(n) AS message_count,
  ${top('last_seen')} AS message_last_seen
FROM keyed
GROUP BY key, endpoint
ORDER BY message_count DESC, message_last_seen DESC, message, endpoint NULLS LAST`;
}

export function toErrorGroup(row: ResultRow): ErrorGroupCount {
  return {
    key: textCell(row, 'key'),
    message: textCell(row, 'message'),
    stack: nullableTextCell(row, 'stack'),
    endpoint: nullableTextCell(row, 'endpoint'),
    count: numberCell(row, 'occurrences'),
    messages: numberCell(row, 'messages'),
    messageCount: numberCell(row, 'message_count'),
    firstSeen: dateCell(row, 'first_seen'),
    lastSeen: dateCell(row, 'last_seen'),
    messageLastSeen: dateCell(row, 'message_last_seen'),
  };
}
