import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  API_METRICS,
  CUSTOMER_INTERACTIONS,
  ERROR_LOGS,
  type TelemetryTable,
} from '../../../../src/adapters/warehouse/duckdb/telemetry-tables.ts';
import { ParquetTableWriter, type ColumnValues } from '../../../../src/demo/sample/parquet-table-writer.ts';

/**
 * Small telemetry with known answers, written in each format the adapter reads. The rows are
 * plain objects so that a test computes its expected figures in JS from the same rows.
 */

export interface MetricRow {
  timestamp: Date;
  endpoint: string;
  response_time_ms: number;
  error_rate: number;
  status_code: number;
}

export interface InteractionRow {
  timestamp: Date;
  customer_id: string;
  interaction_type: string;
  message: string;
  response: string | null;
  outcome: string | null;
  sentiment_score: number | null;
  /** An object, or raw text (to show that invalid metadata reads as {}). */
  metadata: Record<string, unknown> | string | null;
}

export interface ErrorRow {
  timestamp: Date;
  severity: string;
  error_type: string;
  error_message: string;
  error_stack: string | null;
  endpoint: string | null;
}

export interface FixtureRows {
  metrics: MetricRow[];
  interactions: InteractionRow[];
  errors: ErrorRow[];
}

export type FixtureFormat = 'ndjson' | 'csv' | 'parquet';

const at = (iso: string) => new Date(iso);
export const HOSTILE = `GET /api/x'; DROP VIEW performance.api_metrics; --"`;

export function fixtureRows(): FixtureRows {
  const metrics: MetricRow[] = [];
  // Three days, two endpoints; latencies follow fixed formulas so percentiles interpolate between rows.
  for (let i = 0; i < 240; i++) {
    const timestamp = new Date(Date.UTC(2026, 0, 1) + i * 18 * 60_000 + (i % 7) * 1000);
    const slow = i % 3 === 0;
    metrics.push({
      timestamp,
      endpoint: slow ? 'GET /api/reports/export' : 'GET /api/orders/:id',
      response_time_ms: slow ? 1000 + ((i * 37) % 101) * 30 + 0.25 : 100 + ((i * 53) % 89) * 3,
      error_rate: i % 10 === 0 ? 1 : 0,
      status_code: i % 10 === 0 ? 500 : 200,
    });
  }
  // Exactly on the bounds of the window [2026-01-02, 2026-01-03): the first counts, the second does not.
  metrics.push({
    timestamp: at('2026-01-02T00:00:00.000Z'),
    endpoint: 'GET /api/bounds',
    response_time_ms: 7,
    error_rate: 0,
    status_code: 200,
  });
  metrics.push({
    timestamp: at('2026-01-03T00:00:00.000Z'),
    endpoint: 'GET /api/bounds',
    response_time_ms: 9000,
    error_rate: 1,
    status_code: 500,
  });
  metrics.push({ timestamp: at('2026-01-02T12:00:00.000Z'), endpoint: HOSTILE, response_time_ms: 42, error_rate: 0, status_code: 200 });

  const interactions: InteractionRow[] = [
    {
      timestamp: at('2026-01-01T09:00:00Z'),
      customer_id: 'c1',
      interaction_type: 'billing',
      message: 'Refund for my annual plan?',
      response: "I'm not sure.",
      outcome: 'escalated',
      sentiment_score: -0.5,
      metadata: { plan: 'pro', revenue: 1200 },
    },
    {
      timestamp: at('2026-01-02T09:00:00Z'),
      customer_id: 'c2',
      interaction_type: 'billing',
      message: 'Invoice for May, "urgent"; thanks',
      response: 'Sent.',
      outcome: 'resolved',
      sentiment_score: 0.5,
      metadata: { tier: 'enterprise', revenue: 90000, nested: { sso: true } },
    },
    {
      timestamp: at('2026-01-02T10:00:00Z'),
      customer_id: 'c3',
      interaction_type: 'feedback',
      message: 'Please add dark mode',
      response: null,
      outcome: null,
      sentiment_score: null,
      metadata: null,
    },
    {
      timestamp: at('2026-01-02T11:00:00Z'),
      customer_id: 'c1',
      interaction_type: 'billing',
      message: 'Yearly plan refund?',
      response: "I don't know.",
      outcome: 'unresolved',
      sentiment_score: -0.25,
      metadata: { plan: 'pro', revenue: 1200 },
    },
    {
      timestamp: at('2026-01-02T12:00:00Z'),
      customer_id: 'c4',
      interaction_type: 'support',
      message: 'Where is order 12?',
      response: 'Shipped.',
      outcome: 'resolved',
      sentiment_score: 0.75,
      metadata: { plan: 'free', revenue: 0 },
    },
    {
      timestamp: at('2026-01-02T13:00:00Z'),
      customer_id: 'c6',
      interaction_type: 'support',
      message: 'Bad metadata',
      response: 'ok',
      outcome: 'abandoned',
      sentiment_score: 0,
      metadata: 'not json {',
    },
    {
      timestamp: at('2026-01-03T00:00:00Z'),
      customer_id: 'c5',
      interaction_type: 'support',
      message: 'Outside the window',
      response: 'ok',
      outcome: 'resolved',
      sentiment_score: 1,
      metadata: { plan: 'free' },
    },
  ];

  const stack = (where: string) => `TypeError: boom\n    at ${where} (/srv/app/src/orders/format.js:28:13)`;
  const errors: ErrorRow[] = [
    {
      timestamp: at('2026-01-02T01:00:00Z'),
      severity: 'error',
      error_type: 'TypeError',
      error_message: 'Invalid quantity 1.5 in order 7',
      error_stack: stack('old'),
      endpoint: 'GET /api/orders/:id',
    },
    {
      timestamp: at('2026-01-02T05:00:00Z'),
      severity: 'error',
      error_type: 'TypeError',
      error_message: 'Invalid quantity 1.5 in order 7',
      error_stack: stack('latest'),
      endpoint: 'GET /api/orders/:id',
    },
    {
      timestamp: at('2026-01-02T03:00:00Z'),
      severity: 'error',
      error_type: 'TypeError',
      error_message: 'Invalid quantity 1.5 in order 7',
      error_stack: stack('middle'),
      endpoint: 'GET /api/reports/export',
    },
    {
      timestamp: at('2026-01-02T04:00:00Z'),
      severity: 'error',
      error_type: 'Error',
      error_message: "User 'o''neil'; missing",
      error_stack: null,
      endpoint: null,
    },
    {
      timestamp: at('2026-01-02T02:00:00Z'),
      severity: 'warning',
      error_type: 'Error',
      error_message: 'Slow query took 2400 ms',
      error_stack: null,
      endpoint: 'GET /api/orders',
    },
    {
      timestamp: at('2026-01-01T23:59:59.999Z'),
      severity: 'error',
      error_type: 'Error',
      error_message: 'Before the window',
      error_stack: null,
      endpoint: null,
    },
  ];
  return { metrics, interactions, errors };
}

/** Writes the rows as `<table>.<ext>` files in `dir`. */
export async function writeFixture(dir: string, format: FixtureFormat, rows: FixtureRows): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tables: [TelemetryTable, Record<string, unknown>[]][] = [
    [API_METRICS, rows.metrics as unknown as Record<string, unknown>[]],
    [CUSTOMER_INTERACTIONS, rows.interactions as unknown as Record<string, unknown>[]],
    [ERROR_LOGS, rows.errors as unknown as Record<string, unknown>[]],
  ];
  if (format === 'parquet') {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const [table, objects] of tables) {
        const writer = await ParquetTableWriter.open(connection, table);
        await writer.append(table.columns.map((column): ColumnValues => objects.map((row) => parquetValue(row[column.name]))));
        await writer.writeParquet(path.join(dir, `${table.name}.parquet`));
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    return;
  }
  for (const [table, objects] of tables) {
    const text = format === 'ndjson' ? objects.map((row, index) => JSON.stringify(ndjsonRow(row, index))).join('\n') : csv(table, objects);
    await writeFile(path.join(dir, `${table.name}.${format}`), `${text}\n`);
  }
}

function parquetValue(value: unknown): number | string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'object') return JSON.stringify(value);
  return value as number | string;
}

/** NDJSON as loggers write it: timestamps in three spellings (Z, an offset, epoch ms), metadata as a nested object. */
function ndjsonRow(row: Record<string, unknown>, index: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  const time = row.timestamp as Date;
  if (index % 3 === 0) out.timestamp = time.toISOString();
  else if (index % 3 === 1) out.timestamp = withOffset(time, 120);
  else out.timestamp = time.getTime();
  return out;
}

function withOffset(time: Date, minutes: number): string {
  const local = new Date(time.getTime() + minutes * 60_000).toISOString().slice(0, -1);
  const sign = minutes >= 0 ? '+' : '-';
  const hh = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
  const mm = String(Math.abs(minutes) % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

function csv(table: TelemetryTable, rows: Record<string, unknown>[]): string {
  const field = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return `"${text.replaceAll('"', '""')}"`;
  };
  return [
    table.columns.map((column) => column.name).join(','),
    ...rows.map((row) => table.columns.map((column) => field(row[column.name])).join(',')),
  ].join('\n');
}

/** quantile_cont's definition: linear interpolation between the closest ranks (numpy's default). */
export function quantileCont(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
