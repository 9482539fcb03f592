import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ImprovementLoop } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { PLANTED_SLOW_ENDPOINT, SAMPLE_END } from '../../src/demo/planted.ts';
import { generateSampleTelemetry } from '../../src/demo/sample-telemetry.ts';
import { silentLogger } from '../../src/logging.ts';

/** A user with API metrics and error logs but no customer interactions: the loop starts and runs what it can. */
describe('a cycle over telemetry with only API metrics and error logs', () => {
  let dir: string;
  let app: ImprovementLoop;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'il-partial-'));
    await generateSampleTelemetry(path.join(dir, 'generated'), { metrics: 40_000, interactions: 1_000 });
    const telemetry = path.join(dir, 'telemetry');
    await mkdir(telemetry);
    for (const file of ['api_metrics.parquet', 'error_logs.parquet'])
      await copyFile(path.join(dir, 'generated', file), path.join(telemetry, file));
    const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), TELEMETRY_DIR: telemetry, LOG_LEVEL: 'silent' });
    app = await buildApp(config, silentLogger());
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('says on its start line which analyzers it skips and why', async () => {
    await app.prepare();
    const line = app.modes.find((mode) => mode.part === 'warehouse')!.mode;
    expect(line).toContain('no customer_interactions (expected customer_interactions.parquet');
    expect(line).toContain('learning skipped: the telemetry has no ai_learning.customer_interactions');
    expect(line).toContain('features skipped: the telemetry has no ai_learning.customer_interactions');
  });

  it('runs performance and bugs, and reports learning and features as skipped with the reason', async () => {
    const { report, files } = await app.runCycle({ type: 'full', asOf: SAMPLE_END });
    expect(report.errors).toEqual([]);
    expect(report.analyzers.map((a) => a.name)).toEqual(['performance', 'bugs', 'code_quality', 'security']);
    expect(report.skipped).toEqual([
      { name: 'learning', reason: 'skipped: the telemetry has no ai_learning.customer_interactions' },
      { name: 'features', reason: 'skipped: the telemetry has no ai_learning.customer_interactions' },
    ]);
    const fingerprints = report.created.map((c) => c.fingerprint);
    expect(fingerprints).toContain(`performance:slow:${PLANTED_SLOW_ENDPOINT.endpoint}`);
    expect(report.created.filter((c) => c.type === 'bug_fix')).toHaveLength(4);
    expect(report.telemetry?.map((t) => t.table)).toEqual(['performance.api_metrics', 'logs.error_logs']);
    const markdown = await readFile(files!.markdown, 'utf8');
    expect(markdown).toContain('| learning | - | - | skipped: the telemetry has no ai_learning.customer_interactions |');
  }, 60_000);

  it('says in the report of a window without telemetry that it holds 0 rows, and names the newest timestamp', async () => {
    const { report, files } = await app.runCycle({ type: 'daily', asOf: new Date('2024-05-02T00:00:00Z') });
    expect(report.findings).toBe(0);
    expect(report.telemetry?.map((t) => t.rowsInWindow)).toEqual([0, 0]);
    const newest = report
      .telemetry!.map((t) => t.newest!)
      .sort()
      .at(-1)!;
    expect(newest.startsWith('2026-01-30T')).toBe(true);
    expect(report.notes?.[0]).toContain(`the newest row is ${newest}`);
    expect(report.notes?.[0]).toContain('--as-of 2026-01-31T00:00:00.000Z');
    const markdown = await readFile(files!.markdown, 'utf8');
    expect(markdown).toContain('No telemetry in the window 2024-05-01T00:00:00.000Z → 2024-05-02T00:00:00.000Z');
    expect(markdown).toContain(`| performance.api_metrics | 0 | `);
  });
});
