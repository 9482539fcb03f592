import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { TelemetryFilesConflict, TelemetryFilesMissing } from '../../../../src/adapters/warehouse/duckdb/telemetry-files.ts';
import { TelemetrySchemaError } from '../../../../src/adapters/warehouse/duckdb/telemetry-views.ts';
import { fixtureRows, writeFixture } from './telemetry-fixtures.ts';

const month: { from: Date; to: Date } = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') };

describe('finding the telemetry files', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'duckdb-sources-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('starts with the tables it has, naming the absent ones and the file names expected for them, which answer no rows', async () => {
    const dir = path.join(root, 'telemetry');
    const rows = fixtureRows();
    await writeFixture(dir, 'csv', rows);
    await rm(path.join(dir, 'error_logs.csv'));
    await rm(path.join(dir, 'api_metrics.csv'));
    const warehouse = await createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'write') });
    try {
      expect(warehouse.tables).toEqual(['ai_learning.customer_interactions']);
      expect(warehouse.describe()).toContain(`${rows.interactions.length} interactions, newest`);
      expect(warehouse.describe()).toContain(
        'no api_metrics (expected api_metrics.parquet, api_metrics.ndjson, api_metrics.jsonl, api_metrics.json, api_metrics.csv',
      );
      expect(warehouse.describe()).toContain('no error_logs (expected error_logs.parquet');
      expect(warehouse.describe()).not.toContain('metric rows');
      await expect(warehouse.endpointStats(month)).resolves.toEqual([]);
      await expect(warehouse.errorMessages(month, 10)).resolves.toMatchObject({ rows: [], total: 0 });
      expect((await warehouse.interactionStats(month)).length).toBeGreaterThan(0);
    } finally {
      await warehouse.close();
    }
  });

  it('counts the rows of each table it holds in a window, with the newest timestamp of each', async () => {
    const dir = path.join(root, 'telemetry');
    const rows = fixtureRows();
    await writeFixture(dir, 'parquet', rows);
    await rm(path.join(dir, 'customer_interactions.parquet'));
    const warehouse = await createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'write') });
    try {
      const newest = (items: { timestamp: Date }[]) => new Date(Math.max(...items.map((row) => row.timestamp.getTime())));
      const day = { from: new Date('2026-01-02T00:00:00Z'), to: new Date('2026-01-03T00:00:00Z') };
      const inDay = (items: { timestamp: Date }[]) => items.filter((row) => row.timestamp >= day.from && row.timestamp < day.to).length;
      expect(await warehouse.coverage!(day)).toEqual([
        { table: 'performance.api_metrics', rowsInWindow: inDay(rows.metrics), newest: newest(rows.metrics) },
        { table: 'logs.error_logs', rowsInWindow: inDay(rows.errors), newest: newest(rows.errors) },
      ]);
      const later = { from: new Date('2030-01-01T00:00:00Z'), to: new Date('2030-01-02T00:00:00Z') };
      expect((await warehouse.coverage!(later)).map((table) => table.rowsInWindow)).toEqual([0, 0]);
    } finally {
      await warehouse.close();
    }
  });

  it('refuses to start without any table, naming the directory and every expected file name', async () => {
    const dir = path.join(root, 'nowhere');
    const failure = createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'write') });
    await expect(failure).rejects.toThrow(TelemetryFilesMissing);
    await expect(failure).rejects.toThrow('logs.error_logs: error_logs.parquet');
    await expect(createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'write') })).rejects.toThrow(
      `No telemetry files for customer_interactions, api_metrics, error_logs in ${dir}`,
    );
  });

  it('reads several parts of a table together, and parts added after the start too', async () => {
    const rows = fixtureRows();
    const january = rows.metrics.filter((row) => row.timestamp < new Date('2026-01-02T00:00:00Z'));
    const rest = rows.metrics.filter((row) => row.timestamp >= new Date('2026-01-02T00:00:00Z'));
    const dir = path.join(root, 'telemetry');
    await writeFixture(path.join(root, 'a'), 'parquet', { ...rows, metrics: january });
    await writeFixture(path.join(root, 'b'), 'parquet', { ...rows, metrics: rest.slice(0, 10) });
    await writeFixture(path.join(root, 'c'), 'parquet', { ...rows, metrics: rest.slice(10) });
    await mkdir(dir);
    await copyFile(path.join(root, 'a', 'api_metrics.parquet'), path.join(dir, 'api_metrics.2026-01-01.parquet'));
    await copyFile(path.join(root, 'b', 'api_metrics.parquet'), path.join(dir, 'api_metrics.2026-01-02.parquet'));
    for (const table of ['customer_interactions', 'error_logs'])
      await copyFile(path.join(root, 'a', `${table}.parquet`), path.join(dir, `${table}.parquet`));

    const warehouse = await createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'write') });
    try {
      const calls = async () => (await warehouse.endpointStats(month)).reduce((sum, stat) => sum + stat.calls, 0);
      expect(await calls()).toBe(january.length + 10);
      await copyFile(path.join(root, 'c', 'api_metrics.parquet'), path.join(dir, 'api_metrics.2026-01-03.parquet'));
      expect(await calls()).toBe(rows.metrics.length);
    } finally {
      await warehouse.close();
    }
  });

  it('reads the files of a folder named after the table', async () => {
    const dir = path.join(root, 'telemetry');
    await writeFixture(dir, 'ndjson', fixtureRows());
    await mkdir(path.join(dir, 'error_logs'));
    await copyFile(path.join(dir, 'error_logs.ndjson'), path.join(dir, 'error_logs', 'day-1.jsonl'));
    await rm(path.join(dir, 'error_logs.ndjson'));
    const warehouse = await createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'write') });
    try {
      // Six rows; the same message on the same endpoint twice is one group.
      expect((await warehouse.errorMessages(month, 10)).total).toBe(5);
    } finally {
      await warehouse.close();
    }
  });

  it('refuses a table whose files are in two formats', async () => {
    const dir = path.join(root, 'telemetry');
    await writeFixture(dir, 'csv', fixtureRows());
    await writeFile(path.join(dir, 'api_metrics.extra.ndjson'), '{}\n');
    await expect(createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'write') })).rejects.toThrow(TelemetryFilesConflict);
  });

  it('names a missing required column and the file that lacks it', async () => {
    const dir = path.join(root, 'telemetry');
    await writeFixture(dir, 'csv', fixtureRows());
    await writeFile(path.join(dir, 'api_metrics.csv'), 'timestamp,endpoint\n2026-01-02T00:00:00Z,GET /a\n');
    const failure = createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'write') });
    await expect(failure).rejects.toThrow(TelemetrySchemaError);
    await expect(failure).rejects.toThrow(
      `performance.api_metrics (${path.join(dir, 'api_metrics.csv')}) lacks the column response_time_ms`,
    );
  });

  it('reads optional columns that a source lacks as null', async () => {
    const dir = path.join(root, 'telemetry');
    await writeFixture(dir, 'csv', fixtureRows());
    await writeFile(
      path.join(dir, 'api_metrics.csv'),
      'timestamp,endpoint,response_time_ms\n2026-01-02T00:00:00Z,GET /a,10\n2026-01-02T01:00:00Z,GET /a,20\n',
    );
    const warehouse = await createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'write') });
    try {
      const [stats] = await warehouse.endpointStats(month);
      expect(stats).toMatchObject({ endpoint: 'GET /a', calls: 2, meanMs: 15, p50Ms: 15, p95Ms: 19.5, errorRate: 0 });
      expect(stats!.p99Ms).toBeCloseTo(19.9, 9);
    } finally {
      await warehouse.close();
    }
  });

  it('leaves no scratch files behind and creates the write-back file at start', async () => {
    const dir = path.join(root, 'telemetry');
    await writeFixture(dir, 'parquet', fixtureRows());
    const warehouse = await createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'state', 'warehouse') });
    await warehouse.close();
    expect(await readdir(path.join(root, 'state', 'warehouse'))).toContain('warehouse.duckdb');
    await expect(warehouse.endpointStats(month)).rejects.toThrow('The DuckDB warehouse is closed');
  });
});
