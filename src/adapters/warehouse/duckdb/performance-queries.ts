import { LIST, TIMESTAMP, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { EndpointSeriesPoint, EndpointStats, TimeWindow } from '../../../ports/warehouse.ts';
import { queryRows, timestampParameter, toDate, toNumber } from './sql-statements.ts';

/** Latency per endpoint: exact percentiles (quantile_cont, interpolated like numpy's default) over the window. */
export async function endpointStats(connection: DuckDBConnection, window: TimeWindow): Promise<EndpointStats[]> {
  const rows = await queryRows(
    connection,
    `SELECT endpoint,
            count(*) AS calls,
            avg(response_time_ms) AS mean_ms,
            quantile_cont(response_time_ms, [0.5, 0.95, 0.99]) AS percentiles,
            coalesce(avg(error_rate), 0) AS error_rate
       FROM performance.api_metrics
      WHERE timestamp >= $1 AND timestamp < $2 AND endpoint IS NOT NULL AND response_time_ms IS NOT NULL
      GROUP BY endpoint
      ORDER BY endpoint`,
    [timestampParameter(window.from), timestampParameter(window.to)],
    [TIMESTAMP, TIMESTAMP],
  );
  return rows.map((row) => {
    const [p50 = 0, p95 = 0, p99 = 0] = (row.percentiles as number[]).map(toNumber);
    return {
      endpoint: String(row.endpoint),
      calls: toNumber(row.calls),
      meanMs: toNumber(row.mean_ms),
      p50Ms: p50,
      p95Ms: p95,
      p99Ms: p99,
      errorRate: toNumber(row.error_rate),
    };
  });
}

const BUCKETS = new Set(['hour', 'day']);

/** p95 per endpoint per UTC hour or day; every endpoint when `endpoints` is empty. */
export async function endpointSeries(
  connection: DuckDBConnection,
  window: TimeWindow,
  bucket: 'hour' | 'day',
  endpoints: string[],
): Promise<EndpointSeriesPoint[]> {
  if (!BUCKETS.has(bucket)) throw new RangeError(`A series bucket is 'hour' or 'day', not ${String(bucket)}`);
  const filtered = endpoints.length > 0;
  const rows = await queryRows(
    connection,
    `SELECT endpoint,
            date_trunc($3, timestamp) AS bucket_start,
            count(*) AS calls,
            quantile_cont(response_time_ms, 0.95) AS p95_ms
       FROM performance.api_metrics
      WHERE timestamp >= $1 AND timestamp < $2 AND response_time_ms IS NOT NULL
        ${filtered ? 'AND list_contains($4, endpoint)' : 'AND endpoint IS NOT NULL'}
      GROUP BY endpoint, bucket_start
      ORDER BY endpoint, bucket_start`,
    [timestampParameter(window.from), timestampParameter(window.to), bucket, ...(filtered ? [listValue(endpoints)] : [])],
    [TIMESTAMP, TIMESTAMP, VARCHAR, ...(filtered ? [LIST(VARCHAR)] : [])],
  );
  return rows.map((row) => ({
    endpoint: String(row.endpoint),
    bucketStart: toDate(row.bucket_start),
    calls: toNumber(row.calls),
    p95Ms: toNumber(row.p95_ms),
  }));
}
