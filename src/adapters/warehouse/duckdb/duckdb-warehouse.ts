import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { TelemetryWarehouse } from '../../../ports/warehouse.ts';
import { errorGroups } from './error-group-queries.ts';
import { errorMessages } from './error-queries.ts';
import { interactionGroups } from './interaction-group-queries.ts';
import { interactionStats, interactionTexts, interactionsWithMessages } from './interaction-queries.ts';
import { deployments, interactionsMatching } from './outcome-queries.ts';
import { endpointSeries, endpointStats } from './performance-queries.ts';
import { cacheFileFor, CACHE_FOLDER, removeStaleConversions } from './telemetry-cache.ts';
import { expectedNames, findTableSources, TelemetryFilesMissing, type TableSource } from './telemetry-files.ts';
import { API_METRICS, CUSTOMER_INTERACTIONS, DEPLOYMENTS, ERROR_LOGS, TELEMETRY_TABLES } from './telemetry-tables.ts';
import { createEmptyTelemetryView, createTelemetryView, windowSummary, type TimeShift, type ViewSummary } from './telemetry-views.ts';
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
  /** Moves the telemetry in time (the bundled sample, kept ending today); absent: read as written. */
  shift?: TimeShift;
}

export const WRITE_BACK_FILE = 'warehouse.duckdb';

export async function createDuckDbWarehouse(options: DuckDbWarehouseOptions): Promise<TelemetryWarehouse> {
  const telemetryDir = path.resolve(options.telemetryDir);
  const { sources, missing } = await findTableSources(telemetryDir, TELEMETRY_TABLES);
  // The deploy markers' table is optional: its absence is no gap to report.
  const deploymentSources = await findTableSources(telemetryDir, [DEPLOYMENTS]).then(
    (found) => found.sources,
    (error: unknown) => {
      if (error instanceof TelemetryFilesMissing) return [];
      throw error;
    },
  );
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

  // CSV and NDJSON tables are read through a Parquet conversion (telemetry-cache.ts); before each
  // query the files are looked at again, and a table whose files changed is converted anew.
  const cacheDir = path.resolve(options.writeDir, CACHE_FOLDER);
  const converted = new Map<string, string>();
  const createView = async (connection: DuckDBConnection, source: TableSource): Promise<ViewSummary> => {
    const cacheFile = source.format === 'parquet' ? undefined : await cacheFileFor(cacheDir, source);
    const summary = await createTelemetryView(connection, source, {
      ...(options.shift ? { shift: options.shift } : {}),
      ...(cacheFile ? { cacheFile } : {}),
    });
    if (cacheFile) converted.set(source.table.name, cacheFile);
    return summary;
  };
  const refresh = async (): Promise<void> => {
    if (converted.size === 0) return;
    const { sources: now } = await findTableSources(
      telemetryDir,
      [...TELEMETRY_TABLES, DEPLOYMENTS].filter((table) => converted.has(table.name)),
    );
    for (const source of now) {
      if (source.format === 'parquet' || (await cacheFileFor(cacheDir, source)) === converted.get(source.table.name)) continue;
      await withConnection((connection) => createView(connection, source));
    }
  };
  let checking: Promise<void> | null = null;
  const read = async <T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> => {
    // One look at the files for the queries that start together (a cycle's analyzers run in parallel reads).
    await (checking ??= refresh().finally(() => (checking = null)));
    return withConnection(work);
  };

  try {
    const summaries = new Map<string, ViewSummary>();
    await withConnection(async (connection) => {
      // Day buckets and text timestamps without an offset are UTC, whatever the machine's zone.
      await connection.run("SET GLOBAL TimeZone = 'UTC'");
      for (const source of sources) summaries.set(source.table.name, await createView(connection, source));
      // Absent tables answer no rows, so a query of one (a chart, a custom analyzer) never fails.
      for (const table of missing) await createEmptyTelemetryView(connection, table);
      for (const source of deploymentSources) summaries.set(source.table.name, await createView(connection, source));
      if (!deploymentSources.length) await createEmptyTelemetryView(connection, DEPLOYMENTS);
    });
    for (const [table, file] of converted) await removeStaleConversions(cacheDir, table, file);
    const writeBack = new WriteBackFile(path.resolve(options.writeDir, WRITE_BACK_FILE), connect);
    await writeBack.open();
    const held = sources.map((source) => source.table);
    const shifted = options.shift?.end === 'today' ? ' (shifted to end today)' : '';
    const description = `duckdb (${options.label ?? 'telemetry'} at ${telemetryDir}: ${describeTables(summaries)}${shifted}${
      missing.length ? `; no ${missing.map((table) => `${table.name} (expected ${expectedNames(table)})`).join(', no ')}` : ''
    }; write-back ${writeBack.file})`;

    return {
      kind: 'duckdb',
      tables: held.map((table) => table.qualifiedName),
      describe: () => description,
      coverage: (window) =>
        read(async (connection) => {
          const coverage = [];
          for (const table of held) {
            const { rows, newest } = await windowSummary(connection, table, window.from, window.to);
            coverage.push({ table: table.qualifiedName, rowsInWindow: rows, newest });
          }
          return coverage;
        }),
      endpointStats: (window) => read((connection) => endpointStats(connection, window)),
      endpointSeries: (window, bucket, endpoints) => read((connection) => endpointSeries(connection, window, bucket, endpoints)),
      errorMessages: (window, cap) => read((connection) => errorMessages(connection, window, cap)),
      errorGroups: (window) => read((connection) => errorGroups(connection, window)),
      interactionStats: (window) => read((connection) => interactionStats(connection, window)),
      interactionTexts: (window, cap) => read((connection) => interactionTexts(connection, window, cap)),
      interactionsMatching: (window, prefixes) => read((connection) => interactionsMatching(connection, window, prefixes)),
      deployments: (window) => read((connection) => deployments(connection, window)),
      interactionsWithMessages: (window, pick) => read((connection) => interactionsWithMessages(connection, window, pick)),
      interactionGroups: (window, plan) => read((connection) => interactionGroups(connection, window, plan)),
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

const UNITS: [name: string, unit: string][] = [
  [API_METRICS.name, 'metric rows'],
  [CUSTOMER_INTERACTIONS.name, 'interactions'],
  [ERROR_LOGS.name, 'error rows'],
  [DEPLOYMENTS.name, 'deployments'],
];

/** "1,000,000 metric rows, 1,388 error rows, newest 2026-01-30T23:59:59.000Z": what the start line shows. */
function describeTables(summaries: Map<string, ViewSummary>): string {
  const counts = UNITS.filter(([name]) => summaries.has(name)).map(
    ([name, unit]) => `${summaries.get(name)!.rows.toLocaleString('en-US')} ${unit}`,
  );
  const newest = Math.max(...[...summaries.values()].map((summary) => summary.newest?.getTime() ?? -Infinity));
  return `${counts.join(', ')}${Number.isFinite(newest) ? `, newest ${new Date(newest).toISOString()}` : ''}`;
}
