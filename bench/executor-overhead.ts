/**
 * Executor overhead on a 10,000-file repository: worktree, rails, apply, commit and cleanup (the
 * tests are switched off, REQUIRE_TESTS=false, so only our own work is timed), beside the bare git
 * commands that do the same steps, measured in the same run; printed as a ratio, never asserted.
 * Run: npx tsx bench/executor-overhead.ts   (BENCH_RUNS=10 for more samples)
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createGitExecutor } from '../src/adapters/executor/git-executor.ts';
import { createFileRepoLock } from '../src/adapters/executor/lock/file-repo-lock.ts';
import { judgePatch } from '../src/adapters/executor/rails/change-rails.ts';
import { createEmbeddedStore } from '../src/adapters/store/embedded/embedded-store.ts';
import { silentLogger } from '../src/logging.ts';
import { createDecisions } from '../src/proposals/decisions.ts';
import { makeDraft } from '../test/helpers/drafts.ts';
import { createTestGitRepo } from '../test/helpers/git-repo.ts';

const FILES = 10_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PROTECTED =
  '.git/,.github/,.gitlab-ci.yml,.circleci/,.husky/,.env*,.npmrc,.yarnrc*,package-lock.json,yarn.lock,pnpm-lock.yaml,npm-shrinkwrap.json'.split(
    ',',
  );

function patchFor(index: number, content: string): string {
  const [first, ...rest] = content.split('\n');
  const context = rest.filter((line) => line !== '').slice(0, 2);
  return [
    `diff --git a/src/f${index}.js b/src/f${index}.js`,
    `--- a/src/f${index}.js`,
    `+++ b/src/f${index}.js`,
    `@@ -1,${1 + context.length} +1,${1 + context.length} @@`,
    `-${first}`,
    `+${first} (changed by the bench)`,
    ...context.map((line) => ` ${line}`),
    '',
  ].join('\n');
}

/** One commit of FILES small files, through fast-import (seconds, where 10,000 `git add`s take minutes). */
async function tenThousandFiles() {
  const repo = await createTestGitRepo();
  const chunks = [
    'commit refs/heads/main\n',
    'author B <b@b> 1767225600 +0000\n',
    'committer B <b@b> 1767225600 +0000\n',
    'data 5\nstart\n',
  ];
  for (let i = 0; i < FILES; i++) {
    const data = `export const value${i} = ${i};\nexport const name${i} = 'file ${i}';\nexport default value${i};\n`;
    chunks.push(`M 100644 inline src/f${i}.js\ndata ${Buffer.byteLength(data)}\n${data}\n`);
  }
  await repo.git(['fast-import', '--quiet'], chunks.join(''));
  await repo.git(['reset', '-q', '--hard', 'main']);
  return repo;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const started = performance.now();
  const repo = await tenThousandFiles();
  console.log(`repository: ${FILES} files in one commit, built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const work = await mkdtemp(path.join(os.tmpdir(), 'il-bench-exec-'));
  const store = createEmbeddedStore({ file: path.join(work, 'store.sqlite') });
  const decisions = createDecisions({ store, logger: silentLogger() });
  const executor = createGitExecutor({
    repoPath: repo.dir,
    execution: {
      worktreeDir: path.join(work, 'worktrees'),
      protectedPaths: PROTECTED,
      allowBinary: false,
      allowModeChanges: false,
      test: { timeoutMs: 60_000, memoryMb: 2048, maxProcesses: 256, outputMaxBytes: 65536, envAllowlist: ['PATH'] },
    },
    safety: { requireApproval: true, requireTests: false, allowProductionDeploy: false, maxChangesPerProposal: 10, maxLinesPerChange: 500 },
    testCommand: 'true',
    store,
    lock: createFileRepoLock({ dir: path.join(work, 'locks'), ttlMs: 30_000 }),
    logger: silentLogger(),
  });
  const git = (args: string[], cwd = repo.dir, input?: string) =>
    execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
      cwd,
      input,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' },
    });
  const head = git(['rev-parse', 'HEAD']).trim();

  const ours: number[] = [];
  const bare: number[] = [];
  const rails: number[] = [];
  // Run 0 warms the page cache and is not counted; the order of the two sides alternates.
  for (let run = 0; run <= RUNS; run++) {
    const patch = patchFor(run, git(['show', `HEAD:src/f${run}.js`]));
    const created = await store.create(makeDraft({ patch }), { actor: 'bench' });
    const approved = await decisions.approve({ id: created.id, actor: 'bench', idempotencyKey: `a-${run}` });

    const timeOurs = async () => {
      const t = performance.now();
      const done = await executor.execute(approved.proposal, { actor: 'bench', idempotencyKey: `e-${run}` });
      if (done.status !== 'implemented') throw new Error(`run ${run}: ${done.status}: ${done.execution?.error}`);
      return performance.now() - t;
    };
    const timeBare = () => {
      const tree = path.join(work, `bare-${run}`);
      const t = performance.now();
      git(['worktree', 'add', '-q', '-b', `bare/${run}`, tree, head]);
      git(['apply', '--check'], tree, patch);
      git(['apply', '--index'], tree, patch);
      const written = git(['write-tree'], tree).trim();
      const commit = git(['commit-tree', written, '-p', head, '-m', 'bench'], tree).trim();
      git(['update-ref', `refs/heads/bare/${run}`, commit]);
      git(['worktree', 'remove', '--force', tree]);
      return performance.now() - t;
    };
    let oursMs: number;
    let bareMs: number;
    if (run % 2 === 0) {
      oursMs = await timeOurs();
      bareMs = timeBare();
    } else {
      bareMs = timeBare();
      oursMs = await timeOurs();
    }
    if (run === 0) continue;
    ours.push(oursMs);
    bare.push(bareMs);

    const t = performance.now();
    judgePatch(
      patch,
      { maxFiles: 10, maxLinesPerFile: 500, protectedPaths: PROTECTED, allowBinary: false, allowModeChanges: false },
      { symlinks: new Set(), packageJson: new Map() },
    );
    rails.push(performance.now() - t);
  }

  const rows = [
    { case: 'executor.execute (tests off)', 'median ms': median(ours).toFixed(0), 'min ms': Math.min(...ours).toFixed(0) },
    { case: 'bare git, same steps', 'median ms': median(bare).toFixed(0), 'min ms': Math.min(...bare).toFixed(0) },
    { case: 'rails on the patch text (pure)', 'median ms': median(rails).toFixed(3), 'min ms': Math.min(...rails).toFixed(3) },
  ];
  console.table(rows);
  console.log(`ratio executor / bare git: ${(median(ours) / median(bare)).toFixed(2)}× over ${RUNS} runs`);
  console.log(
    'the executor adds: store transitions (executing, implemented), the journal, the lease, a second rails pass on the staged diff (ls-tree of the base for symlinks), diffstat, git worktree prune',
  );
  await store.close();
  await repo.cleanup();
  await rm(work, { recursive: true, force: true });
}

await main();
