import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readTestCounts } from '../../../src/adapters/executor/test-summary.ts';
import { BASE_FILES, GOOD_PATCH, createHarness, type Harness } from './harness.ts';

/** Issue 14 (C): a change may not pass by weakening or deleting the tests it is judged by. */

const weakening = (name: string) => readFile(fileURLToPath(new URL(`./fixtures/test-weakening/${name}.patch`, import.meta.url)), 'utf8');
const request = (key: string) => ({ actor: 'grace', idempotencyKey: key });

describe('test counts', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.cleanup();
    harness = undefined;
  });

  it('refuses a change that rewrites the test to pass without saying it changes tests', async () => {
    harness = await createHarness();
    const done = await harness.executor.execute(await harness.approved(await weakening('rewrite-test-to-pass')), request('weak-rewrite'));
    expect(done.status).toBe('failed');
    expect(done.execution?.error).toContain(
      'edits or deletes test files (test/add.test.js) but the proposal does not say it changes tests',
    );
  });

  it('refuses a change that deletes the test file, even when it says it changes tests, because no test is left', async () => {
    harness = await createHarness();
    const patch = await weakening('delete-test-file');
    await expect(harness.executor.tryPatch(patch)).resolves.toMatchObject({
      passed: false,
      summary: expect.stringContaining('edits or deletes test files'),
    });
    const done = await harness.executor.execute(await harness.approved(patch, { changesTests: true }), request('weak-delete'));
    expect(done.status).toBe('failed');
    expect(done.execution?.error).toMatch(/^refused: tests passed.*but no test passed|no test count could be read/);
  });

  it('refuses a declared test change that drops the passing count, with both counts in the result', async () => {
    harness = await createHarness();
    const done = await harness.executor.execute(
      await harness.approved(await weakening('drop-test-cases'), { category: 'tests' }),
      request('weak-drop'),
    );
    expect(done.status).toBe('failed');
    expect(done.execution?.error).toContain('no test passed');
    expect(done.execution?.testCounts).toEqual({ change: { passed: 0, failed: 0, skipped: 1 } });
  });

  it('refuses a declared test change that skips one of two cases: the passing count drops from 2 to 1', async () => {
    const twoCases = `${BASE_FILES['test/add.test.js']}test('adds zero', () => assert.equal(add(2, 0), 2));\n`;
    harness = await createHarness({ files: { ...BASE_FILES, 'test/add.test.js': twoCases } });
    const patch = `diff --git a/test/add.test.js b/test/add.test.js\n--- a/test/add.test.js\n+++ b/test/add.test.js\n@@ -5,2 +5,2 @@\n test('adds', () => assert.equal(add(2, 3), 5));\n-test('adds zero', () => assert.equal(add(2, 0), 2));\n+test.skip('adds zero', () => assert.equal(add(2, 0), 2));\n`;
    const trial = await harness.executor.tryPatch(patch, { changesTests: true });
    expect(trial).toMatchObject({ passed: false, summary: expect.stringContaining('the passing test count dropped from 2 to 1') });
    expect(trial.testCounts).toEqual({ base: { passed: 2, failed: 0, skipped: 0 }, change: { passed: 1, failed: 0, skipped: 1 } });
  });

  it('refuses a passing run whose count cannot be read rather than trusting the exit code', async () => {
    harness = await createHarness({ testCommand: 'true' });
    const trial = await harness.executor.tryPatch(GOOD_PATCH);
    expect(trial).toMatchObject({
      passed: false,
      summary: expect.stringContaining('no test count could be read from the output of `true`'),
    });
  });

  it('records the base and the change counts when a change adds a test', async () => {
    harness = await createHarness();
    const added = `diff --git a/test/sub.test.js b/test/sub.test.js\nnew file mode 100644\n--- /dev/null\n+++ b/test/sub.test.js\n@@ -0,0 +1,3 @@\n+import { test } from 'node:test';\n+test('one', () => {});\n+test('two', () => {});\n`;
    const done = await harness.executor.execute(await harness.approved(added), request('add-tests'));
    expect(done.status).toBe('implemented');
    expect(done.execution?.testCounts).toEqual({
      base: { passed: 1, failed: 0, skipped: 0 },
      change: { passed: 3, failed: 0, skipped: 0 },
    });
    expect(done.execution?.testSummary).toMatch(/^tests passed: 3 passed, 0 failed in \d+\.\d s \(base: 1 passed\)$/);
  });
});

describe('reading test counts', () => {
  it.each([
    [
      'node --test (TAP)',
      '# tests 4\n# suites 0\n# pass 3\n# fail 1\n# cancelled 0\n# skipped 0\n# todo 0\n',
      { passed: 3, failed: 1, skipped: 0 },
    ],
    ['node --test (spec)', 'ℹ tests 2\nℹ pass 2\nℹ fail 0\nℹ skipped 1\nℹ todo 0\n', { passed: 2, failed: 0, skipped: 1 }],
    [
      'vitest',
      ' Test Files  1 failed | 2 passed (3)\n      Tests  1 failed | 12 passed | 2 skipped (15)\n',
      { passed: 12, failed: 1, skipped: 2 },
    ],
    [
      'vitest with colours',
      '\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[32m6 passed\u001b[39m\u001b[22m\u001b[90m (6)\u001b[39m\n',
      { passed: 6, failed: 0, skipped: 0 },
    ],
    [
      'jest',
      'Test Suites: 1 passed, 1 total\nTests:       1 failed, 2 skipped, 12 passed, 15 total\n',
      { passed: 12, failed: 1, skipped: 2 },
    ],
    ['mocha', '  12 passing (30ms)\n  2 pending\n  1 failing\n', { passed: 12, failed: 1, skipped: 2 }],
  ])('reads %s', (_runner, output, counts) => {
    expect(readTestCounts(output)).toEqual(counts);
  });

  it('takes the summary printed last, so a test printing a forged one earlier does not count', () => {
    expect(readTestCounts('  500 passing (1ms)\n# tests 1\n# pass 1\n# fail 0\n')).toEqual({ passed: 1, failed: 0, skipped: 0 });
  });

  it('reads nothing from output without a runner summary', () => {
    expect(readTestCounts('all good\n')).toBeNull();
  });
});
