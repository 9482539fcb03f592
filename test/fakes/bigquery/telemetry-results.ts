import type { FakeField } from './wire-format.ts';

/**
 * The result schemas BigQuery reports for the BigQuery warehouse's queries (column aliases from
 * src/adapters/warehouse/bigquery/telemetry-queries.ts). Query results name types the legacy way
 * (INTEGER, FLOAT), as the REST API does.
 */
export const resultSchemas = {
  endpointStats: [
    { name: 'endpoint', type: 'STRING', mode: 'NULLABLE' },
    { name: 'calls', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'mean_ms', type: 'FLOAT', mode: 'NULLABLE' },
    { name: 'p50_ms', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'p95_ms', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'p99_ms', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'error_rate', type: 'FLOAT', mode: 'NULLABLE' },
  ],
  endpointSeries: [
    { name: 'endpoint', type: 'STRING', mode: 'NULLABLE' },
    { name: 'bucket_start', type: 'TIMESTAMP', mode: 'NULLABLE' },
    { name: 'calls', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'p95_ms', type: 'INTEGER', mode: 'NULLABLE' },
  ],
  errorMessages: [
    { name: 'total_rows', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'message', type: 'STRING', mode: 'NULLABLE' },
    { name: 'endpoint', type: 'STRING', mode: 'NULLABLE' },
    { name: 'stack', type: 'STRING', mode: 'NULLABLE' },
    { name: 'occurrences', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'first_seen', type: 'TIMESTAMP', mode: 'NULLABLE' },
    { name: 'last_seen', type: 'TIMESTAMP', mode: 'NULLABLE' },
  ],
  interactionStats: [
    { name: 'type_name', type: 'STRING', mode: 'NULLABLE' },
    { name: 'outcome_name', type: 'STRING', mode: 'NULLABLE' },
    { name: 'interactions', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'sentiment_sum', type: 'FLOAT', mode: 'NULLABLE' },
    { name: 'sentiment_count', type: 'INTEGER', mode: 'NULLABLE' },
  ],
  interactionTexts: (metadataType: 'JSON' | 'STRING' = 'JSON') => [
    { name: 'total_rows', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'customer_id', type: 'STRING', mode: 'NULLABLE' },
    { name: 'interaction_type', type: 'STRING', mode: 'NULLABLE' },
    { name: 'message', type: 'STRING', mode: 'NULLABLE' },
    { name: 'response', type: 'STRING', mode: 'NULLABLE' },
    { name: 'outcome', type: 'STRING', mode: 'NULLABLE' },
    { name: 'sentiment_score', type: 'FLOAT', mode: 'NULLABLE' },
    { name: 'metadata', type: metadataType, mode: 'NULLABLE' },
    { name: 'timestamp', type: 'TIMESTAMP', mode: 'NULLABLE' },
  ],
} satisfies Record<string, FakeField[] | ((...args: never[]) => FakeField[])>;
