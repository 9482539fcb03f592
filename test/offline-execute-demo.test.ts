/**
 * The demo without an API key, end to end: one cycle as of the sample's end files a docs proposal
 * and the CSV export's bug, each with a patch the template writer drew from the demo repository (a
 * JSDoc block; a regression test from the recorded message and the fix its line implies) and the
 * cycle tried in a worktree; each is approved, executed (the demo's tests pass in the sandbox, the
 * commit lands on its branch) and rolled back (the branch is gone, main never moved).
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ImprovementLoop } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { CycleReport } from '../src/cycle/run-cycle.ts';
import { SAMPLE_END } from '../src/demo/planted.ts';
import { silentLogger } from '../src/logging.ts';

describe('executing on the demo without an API key', () => {
  let dir: string;
  let app: ImprovementLoop;
  let report: CycleReport;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'il-offline-exec-'));
    // The sandbox user (nobody, when the tests run as root) must reach the worktrees under DATA_DIR.
    await chmod(dir, 0o755);
    const config = loadConfig({ DATA_DIR: dir, SAMPLE_METRIC_ROWS: '20000', SAMPLE_INTERACTIONS: '3000', LOG_LEVEL: 'silent' });
    expect(config.llm.apiKey).toBeFalsy();
    app = await buildApp(config, silentLogger());
    ({ report } = await app.runCycle({ type: 'full', asOf: SAMPLE_END }));
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const git = (...args: string[]) => execFileSync('git', ['-C', path.join(dir, 'demo-repo'), ...args], { encoding: 'utf8' }).trim();

  it('files a docs proposal with a tried patch, executes it with the tests passing, and rolls it back', async () => {
    expect(report.errors).toEqual([]);
    const docs = report.created.find((c) => c.fingerprint === 'code_quality:docs:src/products/search.js:rankProducts');
    expect(docs).toBeDefined();
    const filed = (await app.requestStore.get(docs!.id))!;
    expect(filed.writtenBy).toBe('template');
    expect(filed.patch).toMatch(/^\+ \* @param products$/m);
    expect(filed.preflight).toMatchObject({ passed: true });
    const mainBefore = git('rev-parse', 'main');
    // The reported duplicate's extraction is drafted and tried the same way, before anyone is asked.
    const duplicate = report.created.find((c) => c.fingerprint.startsWith('code_quality:duplication:'));
    const extraction = (await app.requestStore.get(duplicate!.id))!;
    expect(extraction.patch).toContain('+export function orderMatches(order, query) {');
    expect(extraction.preflight).toMatchObject({ passed: true });

    await app.decisions.approve({ id: filed.id, actor: 'test:approver', idempotencyKey: 'offline-approve' });
    const executed = await app.decisions.execute({ id: filed.id, actor: 'test:approver', idempotencyKey: 'offline-execute' });
    expect(executed.status).toBe('implemented');
    expect(executed.execution?.testSummary).toMatch(/^tests passed: \d+ passed, 0 failed/);
    const branch = `improvement/${filed.id}`;
    expect(executed.execution?.branch).toBe(branch);
    expect(git('show', `${branch}:src/products/search.js`)).toContain(' * Rank products.\n');
    expect(git('rev-parse', 'main')).toBe(mainBefore);

    const rolledBack = await app.decisions.rollback({
      id: filed.id,
      actor: 'test:approver',
      idempotencyKey: 'offline-rollback',
      reason: 'trying rollback on the demo',
    });
    expect(rolledBack.status).toBe('rolled_back');
    expect(git('branch', '--list', branch)).toBe('');
    expect(git('rev-parse', 'main')).toBe(mainBefore);
  }, 240_000);

  it('files the CSV bug with a regression test and its fix that passed the trial, executes it and rolls it back', async () => {
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
