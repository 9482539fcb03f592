import { appendFile, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { CACHE_FOLDER } from '../../../../src/adapters/warehouse/duckdb/telemetry-cache.ts';
import type { TimeWindow } from '../../../../src/ports/warehouse.ts';
import { fixtureRows, writeFixture, type FixtureFormat } from './telemetry-fixtures.ts';

const window: TimeWindow = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-04T00:00:00Z') };
const calls = async (warehouse: Awaited<ReturnType<typeof createDuckDbWarehouse>>) =>
  (await warehouse.endpointStats(window)).reduce((sum, s) => sum + s.calls, 0);

describe.each<FixtureFormat>(['ndjson', 'csv'])('%s telemetry converted once to Parquet', (format) => {
  let root: string;
  const telemetry = () => path.join(root, 'telemetry');
  const cache = () => path.join(root, 'write', CACHE_FOLDER);

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), `telemetry-cache-${format}-`));
    await writeFixture(telemetry(), format, fixtureRows());
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads a table through one conversion, reused by the next warehouse over the same files', async () => {
    const first = await createDuckDbWarehouse({ telemetryDir: telemetry(), writeDir: path.join(root, 'write') });
    const before = await calls(first);
    expect(before).toBeGreaterThan(0);
    await first.close();
    const converted = (await readdir(cache())).sort();
    expect(converted).toHaveLength(3);
    expect(converted.every((name) => name.endsWith('.parquet'))).toBe(true);
    const second = await createDuckDbWarehouse({ telemetryDir: telemetry(), writeDir: path.join(root, 'write') });
    expect(await calls(second)).toBe(before);
    expect((await readdir(cache())).sort()).toEqual(converted);
    await second.close();
  });

  it('reads a file again once it changed, at the next query, and drops the old conversion at the next open', async () => {
    const warehouse = await createDuckDbWarehouse({ telemetryDir: telemetry(), writeDir: path.join(root, 'write') });
    const before = await calls(warehouse);
    const file = path.join(telemetry(), `api_metrics.${format}`);
    const row =
      format === 'ndjson'
        ? `${JSON.stringify({ timestamp: '2026-01-02T12:00:00Z', endpoint: 'GET /api/new', response_time_ms: 12, error_rate: 0, status_code: 200 })}\n`
        : `"2026-01-02T12:00:00.000Z","GET /api/new","12","0","200"\n`;
    await appendFile(file, row);
    // A later modification time, even on a file system with coarse timestamps.
    const later = new Date(Date.now() + 5_000);
    await utimes(file, later, later);
    expect(await calls(warehouse)).toBe(before + 1);
    expect((await warehouse.endpointStats(window)).map((s) => s.endpoint)).toContain('GET /api/new');
    await warehouse.close();
    expect((await readdir(cache())).filter((name) => name.startsWith('api_metrics-'))).toHaveLength(2);
    const reopened = await createDuckDbWarehouse({ telemetryDir: telemetry(), writeDir: path.join(root, 'write') });
    expect(await calls(reopened)).toBe(before + 1);
    expect((await readdir(cache())).filter((name) => name.startsWith('api_metrics-'))).toHaveLength(1);
    await reopened.close();
  });
});
