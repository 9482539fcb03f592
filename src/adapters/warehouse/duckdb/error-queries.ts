import { BIGINT, TIMESTAMP, type DuckDBConnection } from '@duckdb/node-api';
import type { Capped, ErrorMessageCount, TimeWindow } from '../../../ports/warehouse.ts';
import { cappedRows } from '../../../ports/warehouse.ts';
import { assertCap, queryRows, timestampParameter, toDate, toNumber } from './sql-statements.ts';

const GROUPS = `
  FROM logs.error_logs
 WHERE timestamp >= $1 AND timestamp < $2 AND error_message IS NOT NULL
 GROUP BY error_message, endpoint`;

/**
 * Identical messages per endpoint, counted in the warehouse, the most recently seen first; at most
 * `cap` of them, with the number there were before the cap.
 */
export async function errorMessages(connection: DuckDBConnection, window: TimeWindow, cap: number): Promise<Capped<ErrorMessageCount>> {
  assertCap(cap);
  const bounds = [timestampParameter(window.from), timestampParameter(window.to)];
  const [counted] = await queryRows(connection, `SELECT count(*) AS total FROM (SELECT 1 ${GROUPS})`, bounds, [TIMESTAMP, TIMESTAMP]);
  const total = toNumber(counted?.total ?? 0);
  const rows =
    total === 0 || cap === 0
      ? []
      : await queryRows(
          connection,
          `SELECT error_message AS message,
                  endpoint,
                  count(*) AS count,
                  min(timestamp) AS first_seen,
                  max(timestamp) AS last_seen,
                  arg_max(error_stack, timestamp) AS stack
             ${GROUPS}
            ORDER BY count DESC, last_seen DESC, message, endpoint NULLS LAST
            LIMIT $3`,
          [...bounds, cap],
          [TIMESTAMP, TIMESTAMP, BIGINT],
        );
  return cappedRows(
    rows.map((row) => ({
      message: String(row.message),
      stack: row.stack === null ? null : String(row.stack),
      endpoint: row.endpoint === null ? null : String(row.endpoint),
      count: toNumber(row.count),
      firstSeen: toDate(row.first_seen),
      lastSeen: toDate(row.last_seen),
    })),
    total,
    cap,
  );
}
