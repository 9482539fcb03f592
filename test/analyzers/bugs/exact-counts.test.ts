import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { createBugAnalyzer } from '../../../src/analyzers/bugs/bug-analyzer.ts';
import type { Finding } from '../../../src/domain/finding.ts';
import type { AnalysisContext } from '../../../src/ports/analyzer.ts';
import type { TelemetryWarehouse } from '../../../src/ports/warehouse.ts';
import { writeFixture, type ErrorRow } from '../../adapters/warehouse/duckdb/telemetry-fixtures.ts';

/**
 * Every error line counted: a planted log with more distinct messages than the bugs analyzer used
 * to read (20,000), read through DuckDB, gives per template the count an exact SQL count of the
 * same lines gives.
 */
const DAY = 86_400_000;
const END = new Date('2026-01-31T00:00:00Z');
const context: AnalysisContext = { cycle: 'weekly', asOf: END, window: { from: new Date(END.getTime() - 7 * DAY), to: END } };

const PLANTED = [
  {
    lines: 26_000,
    like: 'Invalid quantity % for SKU-% in order %',
    make: (i: number) => `Invalid quantity ${(i % 7) + 0.5} for SKU-${1000 + (i % 40)} in order ${10_000 + i}`,
    stack: 'TypeError: bad quantity\n    at formatOrderTotal (/srv/app/src/orders/format.js:28:13)',
    endpoint: 'GET /api/orders/:id',
  },
  {
    lines: 9_000,
    like: 'Payment provider timed out after % ms charging order %',
    make: (i: number) => `Payment provider timed out after ${5000 + (i % 3000)} ms charging order ${50_000 + i}`,
    stack: 'PaymentTimeoutError: timed out\n    at chargeCard (/srv/app/src/payments/charge.js:22:11)',
    endpoint: 'POST /api/checkout',
  },
  {
    lines: 3_000,
    like: 'Request % timed out upstream',
    make: (i: number) => `Request ${hexUuid(i)} timed out upstream`,
    stack: 'Error: upstream\n    at proxy (/srv/app/src/http/proxy.js:9:5)',
    endpoint: 'GET /api/search',
  },
];

function hexUuid(i: number): string {
  const hex = (i * 2654435761).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4abc-9def-${hex}`;
}

let dir: string;
let warehouse: TelemetryWarehouse;
const file = () => path.join(dir, 'telemetry', 'error_logs.parquet').replaceAll("'", "''");

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bugs-exact-counts-'));
  const errors: ErrorRow[] = [];
  for (const planted of PLANTED) {
    for (let i = 0; i < planted.lines; i++) {
      // Spread over the week and the lookback month before it, oldest first.
      const timestamp = new Date(END.getTime() - 37 * DAY + Math.floor(((i + 0.5) * 37 * DAY) / planted.lines));
      errors.push({
        timestamp,
        severity: 'error',
        error_type: 'Error',
        error_message: planted.make(i),
        error_stack: planted.stack,
        endpoint: planted.endpoint,
      });
    }
  }
  await writeFixture(path.join(dir, 'telemetry'), 'parquet', { metrics: [], interactions: [], errors });
  warehouse = await createDuckDbWarehouse({ telemetryDir: path.join(dir, 'telemetry'), writeDir: dir, threads: 2 });
}, 120_000);

afterAll(async () => {
  await warehouse?.close();
  await rm(dir, { recursive: true, force: true });
});

async function exactCount(like: string, from: Date, to: Date): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${file()}')
        WHERE error_message LIKE '${like}' AND timestamp >= epoch_ms(${from.getTime()}) AND timestamp < epoch_ms(${to.getTime()})`,
    );
    return (reader.getRowObjectsJS()[0] as { n: number }).n;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const evidence = (finding: Finding) => Object.fromEntries(finding.evidence.map((e) => [e.label, e.value]));

describe('the bugs analyzer over DuckDB', () => {
  it('counts every line of each template, as an exact SQL count of the same lines does, past the old 20,000-message cap', async () => {
    expect((await exactCount('%', context.window.from, context.window.to)) > 0).toBe(true);
    const findings = await createBugAnalyzer({ warehouse, settings: { minErrorsForBugReport: 5 }, appRoots: ['/srv/app'] }).analyze(
      context,
    );
    expect(findings).toHaveLength(PLANTED.length);
    const lookbackFrom = new Date(context.window.from.getTime() - 30 * DAY);
    for (const planted of PLANTED) {
      const finding = findings.find((f) => String(evidence(f).endpoints).startsWith(planted.endpoint));
      expect(finding, planted.like).toBeDefined();
      expect(evidence(finding!).occurrences).toBe(await exactCount(planted.like, context.window.from, context.window.to));
      expect(evidence(finding!)['occurrences in the 30 days before']).toBe(
        await exactCount(planted.like, lookbackFrom, context.window.from),
      );
      expect(evidence(finding!)).not.toHaveProperty('distinct messages analyzed');
    }
    // The warehouse did the grouping: far fewer rows reached Node than there are distinct messages.
    const groups = await warehouse.errorGroups!(context.window);
    expect(groups.reduce((sum, g) => sum + g.messages, 0)).toBeGreaterThan(5_000);
    expect(groups.length).toBeLessThan(100);
  }, 120_000);
});
