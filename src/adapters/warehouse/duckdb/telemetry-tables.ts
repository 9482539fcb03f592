/**
 * The three telemetry tables as the seed system's BigQuery dataset has them, and the columns each
 * query needs. A file source may hold more columns (they are ignored) and may lack the optional ones
 * (read as NULL); the required ones must be there. Timestamps are instants, compared in UTC.
 */

export type ColumnType = 'TIMESTAMP' | 'VARCHAR' | 'DOUBLE' | 'INTEGER';

export interface TelemetryColumn {
  name: string;
  type: ColumnType;
  required: boolean;
}

export interface TelemetryTable {
  /** Schema-qualified name, as the seed's queries spell it. */
  qualifiedName: string;
  schema: string;
  /** Also the stem of its files: `<name>.parquet`, `<name>.ndjson`, `<name>.csv`... */
  name: string;
  columns: readonly TelemetryColumn[];
}

const column = (name: string, type: ColumnType, required = false): TelemetryColumn => ({ name, type, required });

export const CUSTOMER_INTERACTIONS: TelemetryTable = {
  qualifiedName: 'ai_learning.customer_interactions',
  schema: 'ai_learning',
  name: 'customer_interactions',
  columns: [
    column('timestamp', 'TIMESTAMP', true),
    column('customer_id', 'VARCHAR'),
    column('interaction_type', 'VARCHAR', true),
    column('message', 'VARCHAR', true),
    column('response', 'VARCHAR'),
    column('outcome', 'VARCHAR'),
    column('sentiment_score', 'DOUBLE'),
    // JSON text: an object such as {"plan":"pro","revenue":1200}.
    column('metadata', 'VARCHAR'),
  ],
};

export const API_METRICS: TelemetryTable = {
  qualifiedName: 'performance.api_metrics',
  schema: 'performance',
  name: 'api_metrics',
  columns: [
    column('timestamp', 'TIMESTAMP', true),
    // "METHOD /route/:param", e.g. "GET /api/orders/:id".
    column('endpoint', 'VARCHAR', true),
    // Milliseconds.
    column('response_time_ms', 'DOUBLE', true),
    // 0..1; one row per call carries 0 or 1, an aggregated row the share of failed calls.
    column('error_rate', 'DOUBLE'),
    column('status_code', 'INTEGER'),
  ],
};

export const ERROR_LOGS: TelemetryTable = {
  qualifiedName: 'logs.error_logs',
  schema: 'logs',
  name: 'error_logs',
  columns: [
    column('timestamp', 'TIMESTAMP', true),
    column('severity', 'VARCHAR'),
    column('error_type', 'VARCHAR'),
    column('error_message', 'VARCHAR', true),
    column('error_stack', 'VARCHAR'),
    column('endpoint', 'VARCHAR'),
  ],
};

export const TELEMETRY_TABLES: readonly TelemetryTable[] = [CUSTOMER_INTERACTIONS, API_METRICS, ERROR_LOGS];

/**
 * Deploy markers, optional and apart from the three: without its files nothing says it is missing.
 * One row per deploy; an id seen twice is one deploy (the first row by time is kept).
 */
export const DEPLOYMENTS: TelemetryTable = {
  qualifiedName: 'performance.deployments',
  schema: 'performance',
  name: 'deployments',
  columns: [
    column('id', 'VARCHAR', true),
    column('deployed_at', 'TIMESTAMP', true),
    column('commit_sha', 'VARCHAR'),
    column('ref', 'VARCHAR'),
    column('environment', 'VARCHAR'),
    column('service', 'VARCHAR'),
  ],
};
