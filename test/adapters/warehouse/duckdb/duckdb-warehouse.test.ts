import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import type { TelemetryWarehouse, TimeWindow } from '../../../../src/ports/warehouse.ts';
import { fixtureRows, HOSTILE, quantileCont, writeFixture, type FixtureFormat } from './telemetry-fixtures.ts';

const rows = fixtureRows();
const window: TimeWindow = { from: new Date('2026-01-02T00:00:00Z'), to: new Date('2026-01-03T00:00:00Z') };
const inWindow = <T extends { timestamp: Date }>(items: T[]) =>
  items.filter((row) => row.timestamp >= window.from && row.timestamp < window.to);

describe.each<FixtureFormat>(['ndjson', 'csv', 'parquet'])('the DuckDB warehouse over %s files', (format) => {
  let root: string;
  let warehouse: TelemetryWarehouse;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), `duckdb-warehouse-${format}-`));
    await writeFixture(path.join(root, 'telemetry'), format, rows);
    warehouse = await createDuckDbWarehouse({ telemetryDir: path.join(root, 'telemetry'), writeDir: path.join(root, 'write') });
  });
  afterAll(async () => {
    await warehouse?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('computes calls, mean, p50, p95, p99 and error rate per endpoint like the interpolating reference', async () => {
    const stats = await warehouse.endpointStats(window);
    const expected = new Map<string, number[]>();
    for (const row of inWindow(rows.metrics)) expected.set(row.endpoint, [...(expected.get(row.endpoint) ?? []), row.response_time_ms]);
    expect(stats.map((s) => s.endpoint).sort()).toEqual([...expected.keys()].sort());
    for (const stat of stats) {
      const values = expected.get(stat.endpoint)!;
      const errors = inWindow(rows.metrics)
        .filter((row) => row.endpoint === stat.endpoint)
        .map((row) => row.error_rate);
      expect(stat.calls).toBe(values.length);
      expect(stat.meanMs).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
      expect(stat.p50Ms).toBeCloseTo(quantileCont(values, 0.5), 9);
      expect(stat.p95Ms).toBeCloseTo(quantileCont(values, 0.95), 9);
      expect(stat.p99Ms).toBeCloseTo(quantileCont(values, 0.99), 9);
      expect(stat.errorRate).toBeCloseTo(errors.reduce((a, b) => a + b, 0) / errors.length, 9);
    }
  });

  it('counts a row at the window start and leaves out a row at the window end', async () => {
    const bounds = (await warehouse.endpointStats(window)).find((s) => s.endpoint === 'GET /api/bounds');
    expect(bounds).toMatchObject({ calls: 1, p99Ms: 7, errorRate: 0 });
    const texts = await warehouse.interactionTexts(window, 100);
    expect(texts.rows.map((row) => row.message)).not.toContain('Outside the window');
    const errors = await warehouse.errorMessages(window, 100);
    expect(errors.rows.map((row) => row.message)).not.toContain('Before the window');
  });

  it('gives p95 per endpoint per UTC day and hour, only for the endpoints asked', async () => {
    const days = await warehouse.endpointSeries({ from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-04T00:00:00Z') }, 'day', [
      'GET /api/orders/:id',
    ]);
    expect(days.map((point) => point.bucketStart.toISOString())).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-02T00:00:00.000Z',
      '2026-01-03T00:00:00.000Z',
    ]);
    for (const point of days) {
      const dayRows = rows.metrics.filter(
        (row) =>
          row.endpoint === point.endpoint && row.timestamp.toISOString().slice(0, 10) === point.bucketStart.toISOString().slice(0, 10),
      );
      expect(point.calls).toBe(dayRows.length);
      expect(point.p95Ms).toBeCloseTo(
        quantileCont(
          dayRows.map((row) => row.response_time_ms),
          0.95,
        ),
        9,
      );
    }
    const hours = await warehouse.endpointSeries(window, 'hour', []);
    expect(new Set(hours.map((point) => point.endpoint))).toEqual(new Set(inWindow(rows.metrics).map((row) => row.endpoint)));
    expect(
      hours.every((point) => point.bucketStart.getUTCMinutes() === 0 && point.bucketStart >= window.from && point.bucketStart < window.to),
    ).toBe(true);
    expect(hours.reduce((sum, point) => sum + point.calls, 0)).toBe(inWindow(rows.metrics).length);
  });

  it('puts every call in its UTC hour, with the interpolated p95 of that hour, as the hourly regression detector reads it', async () => {
    const asked = ['GET /api/orders/:id', 'GET /api/reports/export'];
    const hours = await warehouse.endpointSeries(window, 'hour', asked);
    const expected = new Map<string, number[]>();
    for (const row of inWindow(rows.metrics).filter((r) => asked.includes(r.endpoint))) {
      const hour = new Date(Math.floor(row.timestamp.getTime() / 3_600_000) * 3_600_000).toISOString();
      const key = `${row.endpoint} ${hour}`;
      expected.set(key, [...(expected.get(key) ?? []), row.response_time_ms]);
    }
    expect(hours.map((point) => `${point.endpoint} ${point.bucketStart.toISOString()}`).sort()).toEqual([...expected.keys()].sort());
    for (const point of hours) {
      const values = expected.get(`${point.endpoint} ${point.bucketStart.toISOString()}`)!;
      expect(point.calls).toBe(values.length);
      expect(point.p95Ms).toBeCloseTo(
        quantileCont(
          [...values].sort((a, b) => a - b),
          0.95,
        ),
        9,
      );
    }
  });

  it('binds a filter value full of quotes and semicolons instead of splicing it into the SQL', async () => {
    const hostile = await warehouse.endpointSeries(window, 'day', [HOSTILE, "x' OR '1'='1"]);
    expect(hostile).toEqual([{ endpoint: HOSTILE, bucketStart: new Date('2026-01-02T00:00:00Z'), calls: 1, p95Ms: 42 }]);
    expect((await warehouse.endpointStats(window)).length).toBeGreaterThan(0);
  });

  it('counts identical error messages per endpoint, newest first, with the latest stack, capped with the total', async () => {
    const all = await warehouse.errorMessages(window, 100);
    expect(all).toMatchObject({ total: 4, cap: 100, capped: false });
    expect(all.rows.map((row) => [row.message, row.endpoint, row.count])).toEqual([
      ['Invalid quantity 1.5 in order 7', 'GET /api/orders/:id', 2],
      ["User 'o''neil'; missing", null, 1],
      ['Invalid quantity 1.5 in order 7', 'GET /api/reports/export', 1],
      ['Slow query took 2400 ms', 'GET /api/orders', 1],
    ]);
    expect(all.rows[0]!.stack).toContain('at latest');
    expect(all.rows[0]!.firstSeen.toISOString()).toBe('2026-01-02T01:00:00.000Z');
    expect(all.rows[0]!.lastSeen.toISOString()).toBe('2026-01-02T05:00:00.000Z');
    expect(all.rows[1]!.stack).toBeNull();

    const capped = await warehouse.errorMessages(window, 2);
    expect(capped).toMatchObject({ total: 4, cap: 2, capped: true });
    expect(capped.rows).toEqual(all.rows.slice(0, 2));
    expect(await warehouse.errorMessages(window, 0)).toEqual({ rows: [], total: 4, cap: 0, capped: true });
    await expect(warehouse.errorMessages(window, -1)).rejects.toThrow(RangeError);
  });

  it('summarizes interactions per type: count, mean sentiment over scored rows, outcomes with missing ones as unknown', async () => {
    const stats = await warehouse.interactionStats(window);
    expect(stats).toEqual([
      { interactionType: 'billing', interactions: 2, meanSentiment: 0.125, outcomes: { resolved: 1, unresolved: 1 } },
      { interactionType: 'feedback', interactions: 1, meanSentiment: null, outcomes: { unknown: 1 } },
      { interactionType: 'support', interactions: 2, meanSentiment: 0.375, outcomes: { abandoned: 1, resolved: 1 } },
    ]);
  });

  it('returns interaction texts newest first with their metadata parsed, capped with the total', async () => {
    const texts = await warehouse.interactionTexts(window, 3);
    expect(texts).toMatchObject({ total: 5, cap: 3, capped: true });
    expect(texts.rows.map((row) => row.customerId)).toEqual(['c6', 'c4', 'c1']);
    expect(texts.rows[0]!.metadata).toEqual({});
    expect(texts.rows[1]).toEqual({
      customerId: 'c4',
      interactionType: 'support',
      message: 'Where is order 12?',
      response: 'Shipped.',
      outcome: 'resolved',
      sentiment: 0.75,
      metadata: { plan: 'free', revenue: 0 },
      timestamp: new Date('2026-01-02T12:00:00Z'),
    });
    const all = await warehouse.interactionTexts(window, 10);
    expect(all.capped).toBe(false);
    const c2 = all.rows.find((row) => row.customerId === 'c2')!;
    expect(c2.message).toBe('Invoice for May, "urgent"; thanks');
    expect(c2.metadata).toEqual({ tier: 'enterprise', revenue: 90000, nested: { sso: true } });
    expect(all.rows.find((row) => row.customerId === 'c3')).toMatchObject({ response: null, outcome: null, sentiment: null, metadata: {} });
  });

  it('describes itself with the directory, row counts and newest timestamp, and answers ping', async () => {
    expect(warehouse.kind).toBe('duckdb');
    const newest = Math.max(...[...rows.metrics, ...rows.interactions, ...rows.errors].map((row) => row.timestamp.getTime()));
    expect(warehouse.describe()).toBe(
      `duckdb (telemetry at ${path.join(root, 'telemetry')}: ${rows.metrics.length} metric rows, ${rows.interactions.length} interactions, ${rows.errors.length} error rows, ` +
        `newest ${new Date(newest).toISOString()}; write-back ${path.join(root, 'write', 'warehouse.duckdb')})`,
    );
    expect(warehouse.tables).toEqual(['ai_learning.customer_interactions', 'performance.api_metrics', 'logs.error_logs']);
    await expect(warehouse.ping()).resolves.toBeUndefined();
  });
});
