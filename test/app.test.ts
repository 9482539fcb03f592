import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ImprovementLoop } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { PLANTED_REGRESSION, PLANTED_SLOW_ENDPOINT, SAMPLE_END } from '../src/demo/planted.ts';
import { silentLogger } from '../src/logging.ts';

/** The whole loop on the bundled sample (reduced in size; the planted problems hold at any size). */
describe('the app on the bundled sample', () => {
  let dir: string;
  let app: ImprovementLoop;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'il-app-'));
    const config = loadConfig({ DATA_DIR: dir, SAMPLE_METRIC_ROWS: '60000', SAMPLE_INTERACTIONS: '20000', LOG_LEVEL: 'silent' });
    app = await buildApp(config, silentLogger());
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the planted problems, and a second cycle updates the same proposals instead of filing new ones', async () => {
    const first = await app.runCycle({ type: 'full', asOf: SAMPLE_END });
    expect(first.report.errors).toEqual([]);
    expect(first.report.analyzers.map((a) => a.name)).toEqual(['performance', 'bugs', 'learning', 'features', 'code_quality', 'security']);
    const fingerprints = first.report.created.map((c) => c.fingerprint);
    expect(fingerprints).toContain(`performance:slow:${PLANTED_SLOW_ENDPOINT.endpoint}`);
    expect(fingerprints).toContain(`performance:regression:${PLANTED_REGRESSION.endpoint}`);
    expect(first.report.created.filter((c) => c.type === 'bug_fix')).toHaveLength(4);
    expect(first.report.created.filter((c) => c.type === 'feature')).toHaveLength(3);

    const second = await app.runCycle({ type: 'full', asOf: SAMPLE_END });
    expect(second.report.errors).toEqual([]);
    expect(second.report.created).toEqual([]);
    expect(second.report.updated.map((u) => u.id).sort()).toEqual(first.report.created.map((c) => c.id).sort());
    const stored = await app.requestStore.list({ limit: 500, offset: 0 });
    expect(stored.total).toBe(first.report.created.length);
    const again = await app.requestStore.get(first.report.created[0]!.id);
    expect(again?.history.map((h) => h.action)).toEqual(['created', 'evidence_updated']);

    const exposition = await app.metrics.render();
    const performanceFindings = first.report.analyzers.find((a) => a.name === 'performance')!.findings;
    expect(exposition).toContain(`improvement_loop_findings_total{analyzer="performance"} ${2 * performanceFindings}`);
    expect(exposition).toContain('improvement_loop_cycle_duration_seconds_count{type="full",outcome="ok"} 2');
    expect(exposition).toContain(`improvement_loop_proposals{status="pending"} ${first.report.created.length}`);
    // The first cycle also tries the docs proposal's JSDoc patch in a worktree: the demo's tests run twice more.
  }, 120_000);
});
