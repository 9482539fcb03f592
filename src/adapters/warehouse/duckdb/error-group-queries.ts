import { TIMESTAMP, type DuckDBConnection } from '@duckdb/node-api';
import type { ErrorGroupCount, TimeWindow } from '../../../ports/warehouse.ts';
import { foldStepSql, uuidStepSql, type SqlDialect } from '../error-message-key.ts';
import { queryRows, timestampParameter, toDate, toNumber } from './sql-statements.ts';

export const DUCKDB_DIALECT: SqlDialect = {
  replaceAll: (text, pattern, replacement) => `regexp_replace(${text}, ${pattern}, ${replacement}, 'g')`,
  matches: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
  contains: (text, part) => `contains(${text}, ${part})`,
  length: (text) => `length(${text})`,
  quote: (text) => `'${text.replaceAll("'", "''")}'`,
};

// Identical messages first (one key computation per distinct message, not per line), then keys.
// The group's message is its commonest, ordered as errorMessages orders rows, so a finding's example
// and stack are those of the same message as when every distinct message was read.
const SQL = `
WITH exact AS (
  SELECT error_message AS message, endpoint, count(*) AS n, min(timestamp) AS first_seen,
         max(timestamp) AS last_seen, arg_max(error_stack, timestamp) AS stack
    FROM logs.error_logs
   WHERE timestamp >= $1 AND timestamp < $2 AND error_message IS NOT NULL
   GROUP BY error_message, endpoint
), stepped AS (
  SELECT *, ${uuidStepSql('message', DUCKDB_DIALECT)} AS u FROM exact
), keyed AS (
  SELECT *, ${foldStepSql('u', DUCKDB_DIALECT)} AS key FROM stepped
)
SELECT key, endpoint,
       sum(n) AS count, count(*) AS messages, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
       first(message ORDER BY n DESC, last_seen DESC, message) AS message,
       first(stack ORDER BY n DESC, last_seen DESC, message) AS stack,
       max(n) AS message_count,
       first(last_seen ORDER BY n DESC, last_seen DESC, message) AS message_last_seen
  FROM keyed
 GROUP BY key, endpoint
 ORDER BY message_count DESC, message_last_seen DESC, message, endpoint NULLS LAST`;

/** Every error line of the window in groups of key and endpoint (see ErrorGroupCount). */
export async function errorGroups(connection: DuckDBConnection, window: TimeWindow): Promise<ErrorGroupCount[]> {
  const rows = await queryRows(connection, SQL, [timestampParameter(window.from), timestampParameter(window.to)], [TIMESTAMP, TIMESTAMP]);
  return rows.map((row) => ({
    key: String(row.key),
    message: String(row.message),
    stack: row.stack === null ? null : String(row.stack),
    endpoint: row.endpoint === null ? null : String(row.endpoint),
    count: toNumber(row.count),
    messages: toNumber(row.messages),
    messageCount: toNumber(row.message_count),
    firstSeen: toDate(row.first_seen),
    lastSeen: toDate(row.last_seen),
    messageLastSeen: toDate(row.message_last_seen),
  }));
}
