import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { TelemetryWarehouse } from '../../../ports/warehouse.ts';
import { errorMessages } from './error-queries.ts';
import { interactionStats, interactionTexts } from './interaction-queries.ts';
import { endpointSeries, endpointStats } from './performance-queries.ts';
import { findTableSources } from './telemetry-files.ts';
import { API_METRICS, CUSTOMER_INTERACTIONS, ERROR_LOGS, TELEMETRY_TABLES } from './telemetry-tables.ts';
import { createTelemetryView } from './telemetry-views.ts';
import { WriteBackFile } from './write-back.ts';

/**
 * The embedded warehouse: DuckDB in memory, reading telemetry files (Parquet, NDJSON or CSV) as
 * views under the seed's table names, and writing the write-back tables to a DuckDB file.
 */

export interface DuckDbWarehouseOptions {
  /** Holds customer_interactions.*, api_metrics.*, error_logs.* (see telemetry-files.ts for the names). */
  telemetryDir: string;
  /** The write-back file, warehouse.duckdb, is created here. */
  writeDir: string;
  /** How describe() names the telemetry, e.g. "sample" for the bundled one (default "telemetry"). */
  label?: string;
  /** DuckDB worker threads (default: one per core). */
  threads?: number;
}

export const WRITE_BACK_FILE = 'warehouse.duckdb';

export async function createDuckDbWarehouse(options: DuckDbWarehouseOptions): Promise<TelemetryWarehouse> {
  const telemetryDir = path.resolve(options.telemetryDir);
  const sources = await findTableSources(telemetryDir, TELEMETRY_TABLES);
  const instance = await DuckDBInstance.create(':memory:', options.threads ? { threads: String(options.threads) } : {});
  let closed = false;
  const connect = async (): Promise<DuckDBConnection> => {
    if (closed) throw new Error('The DuckDB warehouse is closed');
    return instance.connect();
  };
  const withConnection = async <T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> => {
    const connection = await connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  };

  try {
    const rowCounts = new Map<string, number>();
    await withConnection(async (connection) => {
      // Day buckets and text timestamps without an offset are UTC, whatever the machine's zone.
      await connection.run("SET GLOBAL TimeZone = 'UTC'");
      for (const source of sources) rowCounts.set(source.table.name, await createTelemetryView(connection, source));
    });
    const writeBack = new WriteBackFile(path.resolve(options.writeDir, WRITE_BACK_FILE), connect);
    await writeBack.open();
    const count = (name: string) => (rowCounts.get(name) ?? 0).toLocaleString('en-US');
    const description =
      `duckdb (${options.label ?? 'telemetry'} at ${telemetryDir}: ${count(API_METRICS.name)} metric rows, ` +
      `${count(CUSTOMER_INTERACTIONS.name)} interactions, ${count(ERROR_LOGS.name)} error rows; write-back ${writeBack.file})`;

    return {
      kind: 'duckdb',
      describe: () => description,
      endpointStats: (window) => withConnection((connection) => endpointStats(connection, window)),
      endpointSeries: (window, bucket, endpoints) => withConnection((connection) => endpointSeries(connection, window, bucket, endpoints)),
      errorMessages: (window, cap) => withConnection((connection) => errorMessages(connection, window, cap)),
      interactionStats: (window) => withConnection((connection) => interactionStats(connection, window)),
      interactionTexts: (window, cap) => withConnection((connection) => interactionTexts(connection, window, cap)),
      recordExecution: (record) => writeBack.recordExecution(record),
      recordOptimization: (record) => writeBack.recordOptimization(record),
      ping: () => withConnection(async (connection) => void (await connection.run('SELECT 1'))),
      async close() {
        if (closed) return;
        closed = true;
        instance.closeSync();
      },
    };
  } catch (error) {
    closed = true;
    instance.closeSync();
    throw error;
  }
}
