import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgePatch, type RailsOptions } from '../../../src/adapters/executor/rails/change-rails.ts';
import { BASE_FILES, PACKAGE_JSON, createHarness, repositoryLeftClean, snapshotUserTree, type Harness } from './harness.ts';

/**
 * docs/RELIABILITY.md test 9: every patch of the hostile corpus is refused by our rails, with the reason
 * recorded in the golden file, before git sees it. Regenerate the golden file after a deliberate
 * change of wording with UPDATE_GOLDEN=1.
 */

const FIXTURES = fileURLToPath(new URL('./fixtures/hostile-patches/', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./fixtures/hostile-verdicts.golden.json', import.meta.url));

const RAILS: RailsOptions = {
  maxFiles: 10,
  maxLinesPerFile: 500,
  protectedPaths:
    '.git/,.github/,.gitlab-ci.yml,.circleci/,.husky/,.env*,.npmrc,.yarnrc*,package-lock.json,yarn.lock,pnpm-lock.yaml,npm-shrinkwrap.json'.split(
      ',',
    ),
  allowBinary: false,
  allowModeChanges: false,
};
/** The harness repository below has `linked` → /tmp as a committed symlink. */
const BASE = {
  symlinks: new Set(['linked']),
  packageJson: new Map([['package.json', PACKAGE_JSON]]),
  modes: new Map([...Object.keys(BASE_FILES).map((file): [string, string] => [file, '100644']), ['linked', '120000']]),
};

async function corpus(): Promise<Array<{ name: string; patch: string }>> {
  const names = (await readdir(FIXTURES)).filter((n) => n.endsWith('.patch')).sort();
  return Promise.all(
    names.map(async (name) => ({ name: name.replace(/\.patch$/, ''), patch: await readFile(path.join(FIXTURES, name), 'utf8') })),
  );
}

describe('the hostile patch corpus', () => {
  it('has about thirty cases', async () => {
    expect((await corpus()).length).toBeGreaterThanOrEqual(30);
  });

  it('refuses every hostile patch with the reasons of the golden file', async () => {
    const verdicts: Record<string, string[]> = {};
    for (const { name, patch } of await corpus()) {
      const verdict = judgePatch(patch, RAILS, BASE);
      verdicts[name] = verdict.refusals.map((r) => `${r.rule}: ${r.reason}`);
      expect(verdict.allowed, name).toBe(false);
    }
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(GOLDEN, `${JSON.stringify(verdicts, null, 2)}\n`);
    expect(verdicts).toEqual(JSON.parse(await readFile(GOLDEN, 'utf8')));
  });

  it('lets an ordinary patch through', () => {
    const ordinary =
      'diff --git a/src/add.js b/src/add.js\n--- a/src/add.js\n+++ b/src/add.js\n@@ -1 +1,2 @@\n+// note\n export function add(a, b) {\n';
    expect(judgePatch(ordinary, RAILS, BASE)).toEqual({ allowed: true, refusals: [], paths: ['src/add.js'] });
  });

  it('lets a package.json change through when its scripts stay the same', () => {
    const dependency =
      'diff --git a/package.json b/package.json\n--- a/package.json\n+++ b/package.json\n@@ -2,3 +2,4 @@\n   "name": "target",\n   "version": "1.0.0",\n+  "description": "the target",\n   "private": true,\n';
    expect(judgePatch(dependency, RAILS, BASE).refusals).toEqual([]);
  });

  describe('against a real repository', () => {
    let harness: Harness;
    const gitCalls: string[][] = [];
    beforeAll(async () => {
      harness = await createHarness({ files: { ...BASE_FILES }, observeGit: (argv) => void gitCalls.push([...argv]) });
      await harness.repo.git(['symbolic-ref', 'HEAD', 'refs/heads/main']);
      const { symlink } = await import('node:fs/promises');
      await symlink('/tmp', path.join(harness.repo.dir, 'linked'));
      await harness.repo.git(['add', 'linked']);
      await harness.repo.git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'link']);
      harness.executor = harness.makeExecutor();
    });
    afterAll(() => harness.cleanup());

    it('refuses each hostile patch before git apply runs, and leaves the repository as it was', async () => {
      const before = await snapshotUserTree(harness.repo);
      for (const { name, patch } of await corpus()) {
        gitCalls.length = 0;
        const trial = await harness.executor.tryPatch(patch);
        expect(trial.passed, name).toBe(false);
        expect(trial.summary, name).toMatch(/^refused: /);
        expect(
          gitCalls.filter((argv) => argv.includes('apply') || (argv.includes('worktree') && argv.includes('add'))),
          name,
        ).toEqual([]);
      }
      expect(await snapshotUserTree(harness.repo)).toEqual(before);
      expect(await repositoryLeftClean(harness.repo)).toEqual({ worktrees: [expect.any(String)], improvementBranches: '', locks: [] });
    });

    it('shows git apply alone would accept the symlink, script, workflow, mode, timestamp and rename-synonym cases', async () => {
      for (const name of [
        'symlink-to-etc-passwd',
        'package-json-test-script',
        'github-workflow',
        'mode-change-executable',
        'husky-hook',
        'traditional-timestamp-package-json',
        'mode-lines-equal-not-base',
        'rename-old-new-synonyms',
      ]) {
        const patch = await readFile(path.join(FIXTURES, `${name}.patch`), 'utf8');
        await expect(harness.repo.git(['apply', '--check'], patch), name).resolves.toBe('');
      }
    });
  });
});
