/**
 * A bug fixed without an API key, end to end on the demo: a cycle as of the sample's end files the
 * CSV export's column-count error with a patch the template writer drew from the demo repository
 * (a regression test from the recorded message and the fix its line implies), tried before filing;
 * it is approved, executed (the new test among the passing ones, the commit on its branch) and
 * rolled back (the branch is gone, main never moved).
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ImprovementLoop } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { SAMPLE_END } from '../src/demo/planted.ts';
import { silentLogger } from '../src/logging.ts';

describe('fixing a demo bug without an API key', () => {
  let dir: string;
  let app: ImprovementLoop;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'il-offline-bug-'));
    // The sandbox user (nobody, when the tests run as root) must reach the worktrees under DATA_DIR.
    await chmod(dir, 0o755);
    const config = loadConfig({ DATA_DIR: dir, SAMPLE_METRIC_ROWS: '20000', SAMPLE_INTERACTIONS: '3000', LOG_LEVEL: 'silent' });
    expect(config.llm.apiKey).toBeFalsy();
    app = await buildApp(config, silentLogger());
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const git = (...args: string[]) => execFileSync('git', ['-C', path.join(dir, 'demo-repo'), ...args], { encoding: 'utf8' }).trim();

  it('files the CSV bug with a regression test and its fix that passed the trial, executes it and rolls it back', async () => {
    const { report } = await app.runCycle({ type: 'full', asOf: SAMPLE_END });
    expect(report.errors).toEqual([]);
    const bug = report.created.find((c) => c.title === 'Error in toCsvRow (src/reports/csv.js)');
    expect(bug).toBeDefined();
    const filed = (await app.requestStore.get(bug!.id))!;
    expect(filed.writtenBy).toBe('template');
    expect(filed.patch).toContain('+++ b/test/to-csv-row.regression.test.js');
    expect(filed.patch).toContain('+  const values = columns.map((column) => row[column]);');
    expect(filed.implementationPlan).toMatch(
      /^The patch adds test\/to-csv-row\.regression\.test\.js, a regression test: it calls `toCsvRow\(/,
    );
    // The demo's 12 tests and the new one pass with the fix, against 12 on main.
    expect(filed.preflight).toMatchObject({ passed: true, testCounts: { base: { passed: 12 }, change: { passed: 13, failed: 0 } } });
    // A check that throws on purpose gets its reproduction in the plan, and no patch to execute.
    const quantity = report.created.find((c) => c.title === 'TypeError in formatOrderTotal (src/orders/format.js)');
    const validation = (await app.requestStore.get(quantity!.id))!;
    expect(validation.patch).toBeUndefined();
    expect(validation.implementationPlan).toContain('assert.doesNotThrow(() => formatOrderTotal(');
    const mainBefore = git('rev-parse', 'main');

    await app.decisions.approve({ id: filed.id, actor: 'test:approver', idempotencyKey: 'bug-approve' });
    const executed = await app.decisions.execute({ id: filed.id, actor: 'test:approver', idempotencyKey: 'bug-execute' });
    expect(executed.status).toBe('implemented');
    expect(executed.execution?.testSummary).toMatch(/^tests passed: 13 passed, 0 failed/);
    const branch = `improvement/${filed.id}`;
    expect(git('show', `${branch}:src/reports/csv.js`)).toContain('const values = columns.map((column) => row[column]);');
    expect(git('show', `${branch}:test/to-csv-row.regression.test.js`)).toContain('assert.doesNotThrow(');
    expect(git('rev-parse', 'main')).toBe(mainBefore);

    const rolledBack = await app.decisions.rollback({
      id: filed.id,
      actor: 'test:approver',
      idempotencyKey: 'bug-rollback',
      reason: 'trying rollback of a bug fix on the demo',
    });
    expect(rolledBack.status).toBe('rolled_back');
    expect(git('branch', '--list', branch)).toBe('');
    expect(git('rev-parse', 'main')).toBe(mainBefore);
  }, 240_000);
});
