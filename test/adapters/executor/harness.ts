/** A target repository, a real store and an executor over them, for the executor tests. */
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGitExecutor, type GitExecutor } from '../../../src/adapters/executor/git-executor.ts';
import type { GitExecutorDeps } from '../../../src/adapters/executor/executor-settings.ts';
import { createFileRepoLock } from '../../../src/adapters/executor/lock/file-repo-lock.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { silentLogger } from '../../../src/logging.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { createDecisions } from '../../../src/proposals/decisions.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { createTestGitRepo, type TestGitRepo } from '../../helpers/git-repo.ts';

export const PACKAGE_JSON = `${JSON.stringify({ name: 'target', version: '1.0.0', private: true, type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`;

export const BASE_FILES: Record<string, string> = {
  'package.json': PACKAGE_JSON,
  'src/add.js': 'export function add(a, b) {\n  return a + b;\n}\n',
  'test/add.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { add } from '../src/add.js';\n\ntest('adds', () => assert.equal(add(2, 3), 5));\n",
  'README.md': '# target\n',
};

/** A patch that edits src/add.js and keeps the tests green. */
export const GOOD_PATCH = `diff --git a/src/add.js b/src/add.js
--- a/src/add.js
+++ b/src/add.js
@@ -1,3 +1,4 @@
+// Adds two numbers.
 export function add(a, b) {
   return a + b;
 }
`;

/** A patch that breaks add(), so the tests fail. */
export const BREAKING_PATCH = `diff --git a/src/add.js b/src/add.js
--- a/src/add.js
+++ b/src/add.js
@@ -1,3 +1,3 @@
 export function add(a, b) {
-  return a + b;
+  return a - b;
 }
`;

export interface Harness {
  repo: TestGitRepo;
  store: ProposalStore;
  executor: GitExecutor;
  dirs: { work: string; worktrees: string; locks: string; store: string };
  deps: GitExecutorDeps;
  /** Files, approves and returns a proposal carrying `patch` (or none). */
  approved(patch?: string, overrides?: Partial<Proposal>): Promise<Proposal>;
  makeExecutor(overrides?: Partial<GitExecutorDeps>): GitExecutor;
  cleanup(): Promise<void>;
}

export type HarnessOptions = Partial<Omit<GitExecutorDeps, 'execution' | 'safety'>> & {
  execution?: Partial<GitExecutorDeps['execution']>;
  safety?: Partial<GitExecutorDeps['safety']>;
  files?: Record<string, string>;
};

export function executionSettings(
  worktreeDir: string,
  overrides: Partial<GitExecutorDeps['execution']> = {},
): GitExecutorDeps['execution'] {
  return {
    worktreeDir,
    protectedPaths:
      '.git/,.github/,.gitlab-ci.yml,.circleci/,.husky/,.env*,.npmrc,.yarnrc*,package-lock.json,yarn.lock,pnpm-lock.yaml,npm-shrinkwrap.json'.split(
        ',',
      ),
    allowBinary: false,
    allowModeChanges: false,
    test: {
      timeoutMs: 20_000,
      memoryMb: 2048,
      maxProcesses: 256,
      outputMaxBytes: 64 * 1024,
      envAllowlist: ['PATH', 'LANG', 'TZ', 'CI', 'NODE_ENV', 'TMPDIR'],
    },
    ...overrides,
  };
}

export const SAFETY = {
  requireApproval: true,
  requireTests: true,
  allowProductionDeploy: false,
  maxChangesPerProposal: 10,
  maxLinesPerChange: 500,
};

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const repo = await createTestGitRepo([{ message: 'start', date: '2026-01-01T00:00:00Z', files: options.files ?? BASE_FILES }]);
  const work = await mkdtemp(path.join(tmpdir(), 'il-exec-'));
  await chmod(work, 0o755);
  const dirs = { work, worktrees: path.join(work, 'worktrees'), locks: path.join(work, 'locks'), store: path.join(work, 'store.sqlite') };
  const store = options.store ?? createEmbeddedStore({ file: dirs.store });
  const { files: _files, execution, safety, ...rest } = options;
  const deps: GitExecutorDeps = {
    repoPath: repo.dir,
    execution: executionSettings(dirs.worktrees, execution),
    safety: { ...SAFETY, ...safety },
    testCommand: 'node --test',
    store,
    lock: createFileRepoLock({ dir: dirs.locks, ttlMs: 10_000 }),
    lockWaitMs: 60_000,
    logger: silentLogger(),
    ...rest,
  };
  const makeExecutor = (overrides: Partial<GitExecutorDeps> = {}) => createGitExecutor({ ...deps, ...overrides });
  const decisions = createDecisions({ store, logger: silentLogger() });
  let approvals = 0;
  return {
    repo,
    store,
    executor: makeExecutor(),
    dirs,
    deps,
    makeExecutor,
    async approved(patch, overrides = {}) {
      const created = await store.create(makeDraft({ ...(patch !== undefined ? { patch } : {}), ...overrides }), { actor: 'analyzer' });
      const result = await decisions.approve({ id: created.id, actor: 'grace', idempotencyKey: `approve-${++approvals}-${created.id}` });
      return result.proposal;
    },
    async cleanup() {
      await store.close().catch(() => undefined);
      await repo.cleanup();
      await rm(work, { recursive: true, force: true });
    },
  };
}

export interface UserTreeSnapshot {
  status: string;
  head: string;
  headRef: string;
  index: string;
  stash: string;
  files: Record<string, string>;
  refs: string;
}

/** Everything of the user's own checkout the executor promises not to touch. */
export async function snapshotUserTree(repo: TestGitRepo): Promise<UserTreeSnapshot> {
  const gitDir = path.join(repo.dir, '.git');
  return {
    status: await repo.git(['status', '--porcelain=v1', '--untracked-files=all', '--ignored']),
    head: await readFile(path.join(gitDir, 'HEAD'), 'utf8'),
    headRef: await repo.git(['rev-parse', 'HEAD']),
    index: createHash('sha256')
      .update(await readFile(path.join(gitDir, 'index')))
      .digest('hex'),
    stash: await repo.git(['stash', 'list', '--format=%H %s']),
    files: await hashFiles(repo.dir, repo.dir),
    refs: (await repo.git(['for-each-ref', '--format=%(refname) %(objectname)']))
      .split('\n')
      .filter((line) => !line.startsWith('refs/heads/improvement/'))
      .join('\n'),
  };
}

async function hashFiles(root: string, dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === '.git' && dir === root) continue;
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) out[path.relative(root, full)] = `symlink:${await readlink(full)}`;
    else if (entry.isDirectory()) Object.assign(out, await hashFiles(root, full));
    else
      out[path.relative(root, full)] = createHash('sha256')
        .update(await readFile(full))
        .digest('hex');
  }
  return out;
}

/** Makes the user's checkout busy: an edit, a staged change, an untracked file and a stash entry. */
export async function dirtyUserTree(repo: TestGitRepo): Promise<void> {
  await repo.writeUntracked('README.md', '# target\n\nstashed edit\n');
  await repo.git(['stash', 'push', '-q', '-m', 'user stash']);
  await repo.writeUntracked('README.md', '# target\n\nwork in progress\n');
  await repo.writeUntracked('notes.txt', 'staged note\n');
  await repo.git(['add', 'notes.txt']);
  await repo.writeUntracked('scratch.txt', 'untracked\n');
}

/** No worktree but the main one, no improvement branch, no lock file anywhere under .git. */
export async function repositoryLeftClean(
  repo: TestGitRepo,
): Promise<{ worktrees: string[]; improvementBranches: string; locks: string[] }> {
  const worktrees = (await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((line) => line.startsWith('worktree '));
  const improvementBranches = (await repo.git(['for-each-ref', '--format=%(refname)', 'refs/heads/improvement/'])).trim();
  return { worktrees, improvementBranches, locks: await findLocks(path.join(repo.dir, '.git')) };
}

async function findLocks(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await findLocks(full)));
    else if (entry.name.endsWith('.lock')) found.push(full);
  }
  return found;
}
