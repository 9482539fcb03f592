import { DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import type { ColumnType, TelemetryTable } from '../../adapters/warehouse/duckdb/telemetry-tables.ts';

/**
 * Rows of one telemetry table, appended column-wise into an in-memory DuckDB table and copied to a
 * Parquet file. Timestamps are staged as epoch milliseconds (a double holds them exactly) and become
 * TIMESTAMP in the COPY, which spares a JS object per value on the way in.
 */
export type ColumnValues = (number | string | null)[];

const STAGED_TYPES: Record<ColumnType, DuckDBType> = { TIMESTAMP: DOUBLE, VARCHAR, DOUBLE, INTEGER };

export class ParquetTableWriter {
  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly table: TelemetryTable,
    private readonly staging: string,
  ) {}

  static async open(connection: DuckDBConnection, table: TelemetryTable): Promise<ParquetTableWriter> {
    const staging = `staging_${table.name}`;
    const columns = table.columns.map((column) => `"${column.name}" ${column.type === 'TIMESTAMP' ? 'DOUBLE' : column.type}`);
    await connection.run(`CREATE OR REPLACE TABLE ${staging} (${columns.join(', ')})`);
    return new ParquetTableWriter(connection, table, staging);
  }

  /** Appends rows given as one array per column, in the table's column order. */
  async append(columns: readonly ColumnValues[]): Promise<void> {
    const rows = columns[0]?.length ?? 0;
    if (rows === 0) return;
    const appender = await this.connection.createAppender(this.staging);
    const types = this.table.columns.map((column) => STAGED_TYPES[column.type]);
    // DuckDB data chunks hold at most 2048 rows (its vector size).
    for (let start = 0; start < rows; start += 2048) {
      const end = Math.min(rows, start + 2048);
      const chunk = DuckDBDataChunk.create(types, end - start);
      chunk.setColumns(columns.map((values) => values.slice(start, end)));
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
  }

  /** Writes the staged rows, in insertion order, to a zstd-compressed Parquet file. */
  async writeParquet(file: string): Promise<void> {
    const select = this.table.columns.map((column) =>
      column.type === 'TIMESTAMP' ? `epoch_ms(CAST("${column.name}" AS BIGINT)) AS "${column.name}"` : `"${column.name}"`,
    );
    // The path is ours (the sample directory), not user text; quotes are doubled all the same.
    const target = `'${file.replaceAll("'", "''")}'`;
    await this.connection.run(`COPY (SELECT ${select.join(', ')} FROM ${this.staging}) TO ${target} (FORMAT parquet, COMPRESSION zstd)`);
    await this.connection.run(`DROP TABLE ${this.staging}`);
  }
}
