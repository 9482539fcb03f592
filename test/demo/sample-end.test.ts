import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ImprovementLoop } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { PLANTED_REGRESSION, PLANTED_SLOW_ENDPOINT, SAMPLE_END } from '../../src/demo/planted.ts';
import { resolveSampleEnd } from '../../src/demo/sample-end.ts';
import { silentLogger } from '../../src/logging.ts';

const DAY_MS = 86_400_000;

describe('where the bundled sample ends', () => {
  it('is today by default, and the day the generator writes under a test runner', () => {
    expect(resolveSampleEnd(undefined, {})).toBe('today');
    expect(resolveSampleEnd(undefined, { NODE_ENV: 'production' })).toBe('today');
    expect(resolveSampleEnd(undefined, { NODE_ENV: 'test' })).toEqual(SAMPLE_END);
  });

  it('is the day a setting names, whatever the runner', () => {
    expect(resolveSampleEnd('today', { NODE_ENV: 'test' })).toBe('today');
    expect(resolveSampleEnd('2026-06-01', {})).toEqual(new Date('2026-06-01T00:00:00Z'));
    expect(() => resolveSampleEnd('next tuesday', {})).toThrow("SAMPLE_END must be 'today' or an ISO date, got next tuesday");
  });
});

/** The demo alive today: the sample shifted to end at the start of the current UTC day, analyzed as of now. */
describe('the app on the bundled sample shifted to end today', () => {
  let dir: string;
  let app: ImprovementLoop;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'il-sample-today-'));
    const config = loadConfig({
      DATA_DIR: dir,
      SAMPLE_METRIC_ROWS: '60000',
      SAMPLE_INTERACTIONS: '20000',
      SAMPLE_END: 'today',
      LOG_LEVEL: 'silent',
    });
    app = await buildApp(config, silentLogger());
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says on its start line that the sample is shifted, with a newest row from yesterday', async () => {
    await app.prepare();
    const line = app.modes.find((mode) => mode.part === 'warehouse')!.mode;
    expect(line).toMatch(/sample at .* \(shifted to end today\)/);
    const yesterday = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS).toISOString().slice(0, 10);
    expect(line).toContain(`newest ${yesterday}T`);
  });

  it('finds the planted problems in a cycle as of now, and its report has rows in the window', async () => {
    const { report } = await app.runCycle({ type: 'full', asOf: new Date() });
    expect(report.errors).toEqual([]);
    expect(report.notes).toBeUndefined();
    expect(report.telemetry?.every((table) => table.rowsInWindow > 0)).toBe(true);
    const fingerprints = report.created.map((c) => c.fingerprint);
    expect(fingerprints).toContain(`performance:slow:${PLANTED_SLOW_ENDPOINT.endpoint}`);
    expect(fingerprints).toContain(`performance:regression:${PLANTED_REGRESSION.endpoint}`);
    expect(report.created.filter((c) => c.type === 'bug_fix')).toHaveLength(4);
    expect(report.created.filter((c) => c.type === 'feature')).toHaveLength(3);
  }, 120_000);

  it('has findings in a daily cycle as of now, where the unshifted dates hold no telemetry', async () => {
    const { report } = await app.runCycle({ type: 'daily', asOf: new Date() });
    expect(report.errors).toEqual([]);
    expect(report.findings).toBeGreaterThan(0);
    const { report: old } = await app.runCycle({ type: 'daily', asOf: SAMPLE_END, dryRun: true });
    expect(old.telemetry?.every((table) => table.rowsInWindow === 0)).toBe(true);
    expect(old.notes?.[0]).toContain('No telemetry in the window');
  }, 60_000);
});
