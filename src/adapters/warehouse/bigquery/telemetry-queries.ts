import type { WarehouseTables } from './identifiers.ts';

/**
 * The standard-SQL text of each read. Only validated table names are spliced in; every value arrives
 * as a named parameter (@from, @to, @cap, @endpoints). Each query filters on `timestamp`, the seed's
 * partition column, so BigQuery prunes partitions outside the window, and names only the columns it
 * needs, because on-demand billing counts the bytes of every column a query reads.
 *
 * The conventions match the other adapters (see test/helpers/memory-warehouse.ts): windows are
 * [from, to), means ignore nulls, buckets are truncated in UTC, a null outcome or interaction type
 * counts as "unknown", and the orders are the same. Rows that cannot be analyzed are left out: a
 * metric without an endpoint or a latency, an error log without a message, an interaction without
 * a message. Percentiles are BigQuery's APPROX_QUANTILES (a value from the data, within about 1%
 * of rank), not DuckDB's exact interpolated quantile_cont.
 */

const IN_WINDOW = 'timestamp >= @from AND timestamp < @to';

export type Bucket = 'hour' | 'day';

// A date part cannot be a parameter; it comes from this closed map, never from the caller's text.
const DATE_PART: Record<Bucket, string> = { hour: 'HOUR', day: 'DAY' };

export function endpointStatsSql(tables: WarehouseTables): string {
  return `SELECT
  endpoint,
  calls,
  mean_ms,
  quantiles[SAFE_OFFSET(50)] AS p50_ms,
  quantiles[SAFE_OFFSET(95)] AS p95_ms,
  quantiles[SAFE_OFFSET(99)] AS p99_ms,
  error_rate
FROM (
  SELECT
    endpoint,
    COUNT(*) AS calls,
    AVG(response_time_ms) AS mean_ms,
    APPROX_QUANTILES(response_time_ms, 100) AS quantiles,
    IFNULL(AVG(error_rate), 0) AS error_rate
  FROM ${tables.metrics}
  WHERE ${IN_WINDOW}
    AND endpoint IS NOT NULL
    AND response_time_ms IS NOT NULL
  GROUP BY endpoint
)
ORDER BY endpoint`;
}

export function endpointSeriesSql(tables: WarehouseTables, bucket: Bucket): string {
  const part = Object.hasOwn(DATE_PART, bucket) ? DATE_PART[bucket] : undefined;
  if (!part) throw new RangeError(`bucket must be "hour" or "day", got ${JSON.stringify(bucket)}`);
  return `SELECT
  endpoint,
  TIMESTAMP_TRUNC(timestamp, ${part}, 'UTC') AS bucket_start,
  COUNT(*) AS calls,
  APPROX_QUANTILES(response_time_ms, 100)[SAFE_OFFSET(95)] AS p95_ms
FROM ${tables.metrics}
WHERE ${IN_WINDOW}
  AND endpoint IS NOT NULL
  AND response_time_ms IS NOT NULL
  AND (ARRAY_LENGTH(@endpoints) = 0 OR endpoint IN UNNEST(@endpoints))
GROUP BY endpoint, bucket_start
ORDER BY endpoint, bucket_start`;
}

/**
 * Capped reads return the count before the cap and the kept rows in one statement: the count is
 * LEFT JOINed ON TRUE to the first @cap rows, so an empty or zero-capped result still yields one row
 * carrying the count (its other columns null). On-demand billing counts the bytes of the columns a
 * query reads, not how many times it reads them, so the second read of the CTE costs nothing more.
 */
export function errorMessagesSql(tables: WarehouseTables): string {
  const order = 'occurrences DESC, last_seen DESC, message, endpoint';
  return `WITH message_groups AS (
  SELECT
    error_message AS message,
    endpoint,
    -- the latest occurrence's stack, even when it is null (ARRAY_AGG refuses bare null elements)
    ARRAY_AGG(STRUCT(error_stack AS stack) ORDER BY timestamp DESC LIMIT 1)[OFFSET(0)].stack AS stack,
    COUNT(*) AS occurrences,
    MIN(timestamp) AS first_seen,
    MAX(timestamp) AS last_seen
  FROM ${tables.errorLogs}
  WHERE ${IN_WINDOW}
    AND error_message IS NOT NULL
  GROUP BY error_message, endpoint
)
SELECT
  counted.total_rows,
  kept.message,
  kept.endpoint,
  kept.stack,
  kept.occurrences,
  kept.first_seen,
  kept.last_seen
FROM (SELECT COUNT(*) AS total_rows FROM message_groups) AS counted
LEFT JOIN (
  SELECT * FROM message_groups
  ORDER BY ${order}
  LIMIT @cap
) AS kept ON TRUE
ORDER BY ${prefixed('kept', order)}`;
}

/** One row per (type, outcome); Node folds them into per-type stats (a few dozen rows at most). */
export function interactionStatsSql(tables: WarehouseTables): string {
  return `SELECT
  COALESCE(interaction_type, 'unknown') AS type_name,
  COALESCE(outcome, 'unknown') AS outcome_name,
  COUNT(*) AS interactions,
  SUM(sentiment_score) AS sentiment_sum,
  COUNT(sentiment_score) AS sentiment_count
FROM ${tables.interactions}
WHERE ${IN_WINDOW}
GROUP BY type_name, outcome_name
ORDER BY type_name, outcome_name`;
}

export function interactionTextsSql(tables: WarehouseTables): string {
  const order = 'timestamp DESC, customer_id, message';
  const columns = ['customer_id', 'interaction_type', 'message', 'response', 'outcome', 'sentiment_score', 'metadata', 'timestamp'];
  return `WITH matched AS (
  SELECT ${columns.join(', ')}
  FROM ${tables.interactions}
  WHERE ${IN_WINDOW}
    AND message IS NOT NULL
)
SELECT
  counted.total_rows,
  ${columns.map((c) => `kept.${c}`).join(',\n  ')}
FROM (SELECT COUNT(*) AS total_rows FROM matched) AS counted
LEFT JOIN (
  SELECT * FROM matched
  ORDER BY ${order}
  LIMIT @cap
) AS kept ON TRUE
ORDER BY ${prefixed('kept', order)}`;
}

/** The window's distinct messages: what a caller of interactionsWithMessages chooses from. */
export function distinctMessagesSql(tables: WarehouseTables): string {
  return `SELECT DISTINCT message
FROM ${tables.interactions}
WHERE ${IN_WINDOW}
  AND message IS NOT NULL`;
}

/** The rows of the window whose message is in @messages, in text order. */
export function rowsWithMessagesSql(tables: WarehouseTables): string {
  const columns = ['customer_id', 'interaction_type', 'message', 'response', 'outcome', 'sentiment_score', 'metadata', 'timestamp'];
  return `SELECT ${columns.join(', ')}
FROM ${tables.interactions}
WHERE ${IN_WINDOW}
  AND message IS NOT NULL
  AND message IN UNNEST(@messages)
ORDER BY timestamp DESC, customer_id, message`;
}

export const PING_SQL = 'SELECT 1';

function prefixed(alias: string, order: string): string {
  return order
    .split(', ')
    .map((term) => `${alias}.${term}`)
    .join(', ');
}
