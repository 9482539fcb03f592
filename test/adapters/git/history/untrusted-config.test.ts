import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepositoryReader } from '../../../../src/adapters/git/history/git-repository-reader.ts';
import { createTestGitRepo, type TestGitRepo } from '../../../helpers/git-repo.ts';

const exec = promisify(execFile);
const HOOKS = [
  'pre-commit',
  'post-commit',
  'post-checkout',
  'post-merge',
  'post-rewrite',
  'pre-push',
  'reference-transaction',
  'post-index-change',
];

/**
 * Plants every program-running setting a hostile target repository could carry in its own
 * .git/config (hooks, fsmonitor, external diff, a textconv driver), each writing a canary file, and
 * shows first that plain git does run them.
 */
describe('a target repository whose config runs programs', () => {
  let repo: TestGitRepo;
  let canary: string;

  beforeAll(async () => {
    repo = await createTestGitRepo([
      { message: 'one', date: '2025-01-01T00:00:00Z', files: { 'src/a.js': 'let a = 1;\n', '.gitattributes': '*.js diff=evil\n' } },
      { message: 'two', date: '2025-01-02T00:00:00Z', files: { 'src/a.js': 'let a = 2;\nlet b = 3;\n' } },
    ]);
    canary = path.join(repo.dir, '..', `${path.basename(repo.dir)}-canary`);
    const script = `#!/bin/sh\necho "$0 $*" >> '${canary}'\ncat "$1" 2>/dev/null\nexit 0\n`;
    await repo.writeUntracked('.git/evil/run.sh', script);
    for (const hook of HOOKS) await repo.writeUntracked(`.git/evil/hooks/${hook}`, script);
    for (const file of ['run.sh', ...HOOKS.map((h) => `hooks/${h}`)]) await chmod(path.join(repo.dir, '.git/evil', file), 0o755);
    const run = path.join(repo.dir, '.git/evil/run.sh');
    await exec('git', ['config', 'core.hooksPath', path.join(repo.dir, '.git/evil/hooks')], { cwd: repo.dir });
    await exec('git', ['config', 'core.fsmonitor', run], { cwd: repo.dir });
    await exec('git', ['config', 'diff.external', run], { cwd: repo.dir });
    await exec('git', ['config', 'diff.evil.textconv', run], { cwd: repo.dir });
  });
  afterAll(async () => {
    await repo?.cleanup();
    if (canary) await rm(canary, { force: true });
  });

  it('runs the planted programs when plain git is used (so the plant is live)', async () => {
    const env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'x',
      GIT_AUTHOR_EMAIL: 'x@example.test',
      GIT_COMMITTER_NAME: 'x',
      GIT_COMMITTER_EMAIL: 'x@example.test',
    };
    for (const args of [['status'], ['blame', 'src/a.js'], ['commit', '-q', '--allow-empty', '-m', 'x']]) {
      await rm(canary, { force: true });
      await exec('git', args, { cwd: repo.dir, env });
      expect(existsSync(canary), args.join(' ')).toBe(true);
    }
    await exec('git', ['reset', '-q', '--soft', 'HEAD~1'], {
      cwd: repo.dir,
      env: { ...env, GIT_CONFIG_PARAMETERS: "'core.hooksPath'='/dev/null'" },
    });
    await rm(canary, { force: true });
  });

  it('never runs them through the repository reader', async () => {
    await rm(canary, { force: true });
    const reader = createGitRepositoryReader(repo.dir);
    const head = await reader.head();
    expect(await reader.listFiles()).toContain('src/a.js');
    expect(await reader.readFile('src/a.js')).toBe('let a = 2;\nlet b = 3;\n');
    expect((await reader.commitsTouching(['src/a.js'])).map((c) => c.files[0]?.added)).toEqual([2, 1]);
    expect(await reader.blame('src/a.js', [1, 2])).toHaveLength(2);
    expect(await reader.blame('src/a.js', [1], { at: head })).toHaveLength(1);
    expect((await reader.churn(new Date('2024-01-01'))).get('src/a.js')).toEqual({ commits: 2, linesChanged: 4 });
    expect(existsSync(canary)).toBe(false);
  });
});
