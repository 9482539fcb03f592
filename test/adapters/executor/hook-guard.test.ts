import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GIT_GUARDS } from '../../../src/adapters/executor/git/git-command.ts';
import { BASE_FILES, BREAKING_PATCH, createHarness, executionSettings, type Harness } from './harness.ts';

/** docs/RELIABILITY.md test 10: no hook or repository-configured command runs, whatever the patch edits. */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

const HOOKS = [
  'pre-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'post-checkout',
  'reference-transaction',
  'pre-push',
  'post-rewrite',
  'pre-auto-gc',
  'post-index-change',
];

describe('the hook guard', () => {
  it('runs no hook across worktree add, apply, commit, revert and branch delete, even one the patch edits', async () => {
    const argvs: string[][] = [];
    const outside = await mkdtemp(path.join(tmpdir(), 'il-canary-'));
    const canary = path.join(outside, 'canary');
    const hook = `#!/bin/sh\necho "$0" >> ${canary}\n`;
    harness = await createHarness({
      files: { ...BASE_FILES, ...Object.fromEntries(HOOKS.map((name) => [`.husky/${name}`, hook])) },
      observeGit: (argv) => void argvs.push([...argv]),
    });
    for (const name of HOOKS) {
      await chmod(path.join(harness.repo.dir, '.husky', name), 0o755);
      await writeFile(path.join(harness.repo.dir, '.git/hooks', name), hook, { mode: 0o755 });
    }
    await harness.repo.git(['add', '.husky']);
    await harness.repo.git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'husky hooks']);
    await harness.repo.git(['config', 'core.hooksPath', '.husky']);
    await harness.repo.git(['config', 'core.fsmonitor', `echo fsmonitor >> ${canary}`]);
    // The protected-path rail is lifted here so the patch reaches git: this tests the second guard.
    const executor = harness.makeExecutor({ execution: executionSettings(harness.dirs.worktrees, { protectedPaths: ['.github/'] }) });
    const huskyPatch = `diff --git a/.husky/pre-commit b/.husky/pre-commit
--- a/.husky/pre-commit
+++ b/.husky/pre-commit
@@ -1,2 +1,2 @@
 #!/bin/sh
-echo "$0" >> ${canary}
+echo "husky ran, edited by the patch" >> ${canary}
`;

    const implemented = await executor.execute(await harness.approved(huskyPatch), { actor: 'grace', idempotencyKey: 'hook-1' });
    expect(implemented.status).toBe('implemented');
    await harness.repo.git(['-c', 'core.fsmonitor=false', 'merge', '-q', '--ff-only', `improvement/${implemented.id}`]); // the test's own git call must not run the planted fsmonitor either
    expect((await executor.rollback(implemented, { actor: 'grace', idempotencyKey: 'hook-rb', reason: 'test' })).status).toBe(
      'rolled_back',
    );
    const failed = await executor.execute(await harness.approved(BREAKING_PATCH), { actor: 'grace', idempotencyKey: 'hook-2' });
    expect(failed.status).toBe('failed');
    await executor.recoverInterrupted();

    await expect(stat(canary)).rejects.toThrow(/ENOENT/);
    await rm(outside, { recursive: true, force: true });
    expect(argvs.length).toBeGreaterThan(10);
    for (const argv of argvs) expect(argv.slice(0, GIT_GUARDS.length)).toEqual([...GIT_GUARDS]);
    expect(GIT_GUARDS.join(' ')).toContain('core.hooksPath=/dev/null');
  });

  it('proves the canary works: a plain git commit in that repository does run the hook', async () => {
    harness = await createHarness();
    const canary = path.join(harness.dirs.work, 'canary');
    await writeFile(path.join(harness.repo.dir, '.git/hooks/pre-commit'), `#!/bin/sh\necho ran >> ${canary}\n`, { mode: 0o755 });
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'x'], {
      cwd: harness.repo.dir,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    await expect(stat(canary)).resolves.toBeTruthy();
  });
});
