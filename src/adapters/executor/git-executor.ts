import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { ConflictError, RepositoryBusy, ValidationError } from '../../domain/errors.ts';
import { isProposalId } from '../../domain/ids.ts';
import type { ExecutionResult, Proposal, TestCountComparison, TestCounts } from '../../domain/proposal.ts';
import type {
  BranchRevision,
  BranchRevisionRequest,
  ExecutionRequest,
  Executor,
  PatchTrial,
  TrialDeclaration,
} from '../../ports/executor.ts';
import { patchHash } from '../../proposals/decisions.ts';
import { ChangeRefused, applyPatch, judgeProposedPatch, judgeStagedChange, runTests, type TestRunSettings } from './change-steps.ts';
import { installDependencies } from './dependency-install.ts';
import { createExecutionJournal } from './execution-journal.ts';
import { createExecutionReporter } from './execution-reporter.ts';
import { createTestRunJournal } from './test-run-journal.ts';
import { DEFAULT_BOT_AUTHOR, DEFAULT_INSTALL, type GitExecutorDeps } from './executor-settings.ts';
import { createGitRun } from './git/git-command.ts';
import { commitRevision, commitTree, mergeIntoBase } from './git/branch-commits.ts';
import { createWorktrees } from './git/worktrees.ts';
import { acquireRepoLease, keepRenewed, type RepoLease } from './lock/repo-lock.ts';
import { describeRefusals, type RailsOptions } from './rails/change-rails.ts';
import { recoverInterruptedExecutions, recoverWhileHolding } from './recovery.ts';
import { rollbackImplemented } from './rollback.ts';
import { parsePatch } from './rails/patch-parser.ts';
import { editedTestFiles } from './rails/test-files.ts';
import { describeCounts, outputTail, readTestCounts, summarizeTestRun } from './test-summary.ts';

export interface GitExecutor extends Executor {
  /** `declared`: what the proposal says about its tests (see declaresTestChanges). */
  tryPatch(patch: string, declared?: TrialDeclaration): Promise<PatchTrial>;
  reviseBranch(proposal: Proposal, patch: string, request: BranchRevisionRequest): Promise<BranchRevision>;
  /** At start: executions a dead process left `executing` → worktree and branch removed, proposal `failed` (interrupted). */
  recoverInterrupted(options?: { waitMs?: number }): Promise<{ recovered: string[] }>;
  /** Folder of this repository's worktrees, journal and sandbox homes. */
  readonly worktreeRoot: string;
}

/** The tests failed or timed out: the change is not committed. */
class TestsFailed extends Error {
  override name = 'TestsFailed';
  constructor(
    readonly summary: string,
    readonly outputTail: string,
    readonly testCounts?: TestCountComparison,
  ) {
    super(summary);
  }
}

/** A proposal may edit or delete existing tests only when it says so: its writer's flag, or a tests proposal. */
function declaresTestChanges(proposal: Pick<Proposal, 'changesTests' | 'category'>): boolean {
  return proposal.changesTests === true || proposal.category === 'tests';
}

/** A trial whose change passed the rails and the tests. */
function passedTrial(tested: { testSummary: string; testCounts?: TestCountComparison; outputTail: string }, at: string): PatchTrial {
  return {
    passed: true,
    summary: tested.testSummary,
    ...(tested.testCounts ? { testCounts: tested.testCounts } : {}),
    outputTail: tested.outputTail,
    at,
  };
}

/** A trial the rails or the tests stopped, as the proposal records it; any other error is no verdict and is thrown again. */
function failedTrial(error: unknown, at: string): PatchTrial {
  if (error instanceof TestsFailed)
    return {
      passed: false,
      summary: error.summary,
      ...(error.testCounts ? { testCounts: error.testCounts } : {}),
      outputTail: error.outputTail,
      at,
    };
  if (error instanceof ChangeRefused) return { passed: false, summary: error.message, at };
  throw error;
}

interface Produced {
  commit: string;
  diffstat: string;
  testSummary: string;
  testCounts?: TestCountComparison;
  outputTail: string;
  merged: string | null;
}

/** The real path (the lock key must be the same however the path is spelled); the demo repository may not exist yet. */
function resolveRepoPath(repoPath: string): string {
  try {
    return realpathSync(repoPath);
  } catch {
    return path.resolve(repoPath);
  }
}

/**
 * Executes approved proposals in a git worktree of the target repository, on a branch of their own
 * (`improvement/<id>`), under a repository lease, through the rails and the sandboxed tests.
 * See docs/EXECUTOR.md.
 */
export function createGitExecutor(deps: GitExecutorDeps): GitExecutor {
  const clock = deps.clock ?? (() => new Date());
  const repoPath = resolveRepoPath(deps.repoPath);
  const worktreeDir = path.resolve(deps.execution.worktreeDir);
  if (worktreeDir === repoPath || worktreeDir.startsWith(`${repoPath}${path.sep}`)) {
    throw new ValidationError(
      `WORKTREE_DIR (${worktreeDir}) is inside the target repository ${repoPath}; it would show up in the user's git status`,
    );
  }
  const repoKey = createHash('sha256').update(repoPath).digest('hex').slice(0, 16);
  const worktreeRoot = path.join(worktreeDir, repoKey);
  const run = createGitRun(deps.observeGit);
  const worktrees = createWorktrees(run, repoPath);
  const journal = createExecutionJournal(path.join(worktreeRoot, 'journal'));
  const testRuns = createTestRunJournal(path.join(worktreeRoot, 'journal', 'test-runs'));
  const reporter = createExecutionReporter({
    logger: deps.logger,
    notifiers: deps.notifiers ?? [],
    recordExecution: deps.recordExecution,
    clock,
  });
  const lockTtlMs = deps.lockTtlMs ?? 30_000;
  const lockWaitMs = deps.lockWaitMs ?? 15 * 60_000;
  const bot = deps.botAuthor ?? DEFAULT_BOT_AUTHOR;
  const rails: RailsOptions = {
    maxFiles: deps.safety.maxChangesPerProposal,
    maxLinesPerFile: deps.safety.maxLinesPerChange,
    protectedPaths: deps.execution.protectedPaths,
    allowBinary: deps.execution.allowBinary,
    allowModeChanges: deps.execution.allowModeChanges,
  };
  const testSettings: TestRunSettings = {
    command: deps.testCommand,
    limits: deps.execution.test,
    installDependencies: deps.installDependencies ?? true,
    install: deps.execution.install ?? DEFAULT_INSTALL,
    ...(deps.sandboxUser ? { runAs: deps.sandboxUser } : {}),
    runs: testRuns,
  };
  const recoveryDeps = {
    store: deps.store,
    journal,
    testRuns,
    worktrees,
    worktreeRoot,
    repoPath,
    remote: deps.execution.remote,
    run,
    clock,
    logger: deps.logger,
    reporter,
  };
  const homeFor = (name: string) => path.join(worktreeRoot, 'homes', name);
  /** A security proposal's upgrade lets its lockfile edit through the upgrade rule (DEPENDENCY_UPGRADE_PATCHES). */
  const railsFor = (declared: TrialDeclaration): RailsOptions =>
    declared.type === 'security' && declared.upgrade && (deps.execution.dependencyUpgrades ?? 'security') === 'security'
      ? { ...rails, dependencyUpgrade: declared.upgrade }
      : rails;

  async function withLease<T>(label: string, work: (lease: RepoLease) => Promise<T>): Promise<T> {
    const lease = await acquireRepoLease(deps.lock, repoKey, { waitMs: lockWaitMs });
    if (!lease) throw new RepositoryBusy(label, Math.max(60, Math.ceil(lockWaitMs / 1000)));
    const renewal = keepRenewed(lease, lockTtlMs, () =>
      deps.logger.error({ label }, 'lost the repository lease; the work stops before its next commit or push'),
    );
    try {
      return await work(lease);
    } finally {
      renewal.stop();
      await lease
        .release()
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'releasing the repository lease failed; it expires on its own'));
    }
  }

  // Base trees' test counts by commit and command: the base is tested once, not once per change.
  const baseCounts = new Map<string, TestCounts>();

  /** Runs the tests (after the dependency install) in `worktree`; the home folder is removed after. */
  async function testIn(worktree: string) {
    const home = homeFor(path.basename(worktree));
    try {
      const install = await installDependencies(worktree, home, testSettings);
      if (install.ran && !install.ok) return { install };
      return { install, result: await runTests(worktree, home, testSettings) };
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }

  /** The test count of the base tree, run in a throwaway worktree of its own; null when unreadable. */
  async function countBaseTests(baseSha: string): Promise<TestCounts | null> {
    const key = `${baseSha} ${deps.testCommand}`;
    const known = baseCounts.get(key);
    if (known) return known;
    const worktree = path.join(worktreeRoot, `base-${randomBytes(6).toString('hex')}`);
    try {
      await worktrees.add(worktree, null, baseSha);
      const { result } = await testIn(worktree);
      const counts = result && !result.timedOut ? readTestCounts(result.output) : null;
      if (counts) baseCounts.set(key, counts);
      return counts;
    } finally {
      await worktrees.remove(worktree);
    }
  }

  /** Stages, judges and tests the change in `worktree`; returns the tree the rails and tests saw. */
  async function buildAndTest(
    worktree: string,
    baseSha: string,
    expectedPaths: readonly string[] | undefined,
    declared: TrialDeclaration,
    onStep: (stage: string, detail?: string) => void,
  ) {
    onStep('rails', 'checking the change as git staged it');
    const staged = await judgeStagedChange(run, repoPath, worktree, baseSha, railsFor(declared), expectedPaths);
    if (!staged.verdict.allowed) throw new ChangeRefused(`refused: ${describeRefusals(staged.verdict.refusals)}`, staged.verdict);
    if (staged.diff.trim() === '') throw new ChangeRefused('refused: the change is empty');
    const testEdits = editedTestFiles(parsePatch(staged.diff));
    if (testEdits.length && !declaresTestChanges(declared)) {
      throw new ChangeRefused(
        `refused: the change edits or deletes test files (${testEdits.slice(0, 5).join(', ')}) but the proposal does not say it changes tests (changesTests, or category tests)`,
      );
    }
    // The tests run unreviewed code in this folder; what gets committed is this tree, whatever they do.
    const tree = (await run(['write-tree'], { cwd: worktree })).stdout.trim();
    if (!deps.safety.requireTests) return { tree, testSummary: 'tests skipped (REQUIRE_TESTS=false)', outputTail: '' };
    onStep('tests', deps.testCommand);
    const { install, result } = await testIn(worktree);
    if (!result) {
      const failed = install.ran && !install.ok ? install : { summary: 'dependency install failed', output: '' };
      throw new TestsFailed(failed.summary, outputTail(failed.output));
    }
    const summary = summarizeTestRun(result);
    const tail = outputTail(result.output);
    const change = result.timedOut ? null : readTestCounts(result.output);
    const counted = change ? { change } : undefined;
    if (result.timedOut || result.exitCode !== 0) throw new TestsFailed(summary, tail, counted);
    // The exit code alone passes a change that deletes or empties its tests: the count must hold.
    if (!change)
      throw new TestsFailed(
        `refused: ${summary}, but no test count could be read from the output of \`${deps.testCommand}\` (node --test, vitest, jest and mocha summaries are read)`,
        tail,
      );
    if (change.passed === 0) throw new TestsFailed(`refused: ${summary}, but no test passed`, tail, counted);
    onStep('tests', `counting the base tree's tests (${baseSha.slice(0, 12)})`);
    const base = await countBaseTests(baseSha);
    if (!base)
      throw new TestsFailed(`refused: ${summary}, but the base tree's test count could not be read to compare with`, tail, counted);
    const testCounts = { base, change };
    if (change.passed < base.passed)
      throw new TestsFailed(
        `refused: the passing test count dropped from ${base.passed} to ${change.passed} (base: ${describeCounts(base)}; change: ${describeCounts(change)})`,
        tail,
        testCounts,
      );
    return { tree, testSummary: `${summary} (base: ${base.passed} passed)`, testCounts, outputTail: tail };
  }

  async function produce(
    proposal: Proposal,
    actor: string,
    branch: string,
    worktree: string,
    lease: RepoLease,
    progress: { branchCreated: boolean },
  ): Promise<Produced> {
    const step = (stage: string, detail?: string) => reporter.step(proposal, actor, stage, detail);
    const base = await worktrees.resolveBase(deps.execution.baseBranch);
    let expectedPaths: readonly string[] | undefined;
    if (proposal.patch) {
      step('rails', 'checking the patch');
      if (
        proposal.approvedPatchHash !== undefined ? proposal.approvedPatchHash !== patchHash(proposal.patch) : deps.safety.requireApproval
      ) {
        throw new ChangeRefused('refused: the patch differs from the one that was approved (approve it again to execute this version)');
      }
      const verdict = await judgeProposedPatch(run, repoPath, base.sha, proposal.patch, railsFor(proposal));
      if (!verdict.allowed) throw new ChangeRefused(`refused: ${describeRefusals(verdict.refusals)}`, verdict);
      expectedPaths = verdict.paths;
    } else if (!deps.agent) {
      throw new ChangeRefused(
        'this proposal has no patch and no editing agent is configured (set ANTHROPIC_API_KEY to let Claude write the change)',
      );
    }
    step('worktree', `${branch} from ${base.name} (${base.sha.slice(0, 12)})`);
    await mkdir(worktreeRoot, { recursive: true });
    // Never adopt (and later delete) a branch someone else made under our name.
    if (await worktrees.branchExists(branch))
      throw new ChangeRefused(`refused: the branch ${branch} already exists; delete it to execute this proposal again`);
    progress.branchCreated = true;
    await worktrees.add(worktree, branch, base.sha);
    if (proposal.patch) {
      step('apply', 'git apply --check, then git apply --index');
      await applyPatch(run, worktree, proposal.patch);
    } else {
      step('agent', 'Claude is editing the worktree');
      const edited = await deps.agent!.edit(proposal, worktree);
      step('agent', `${edited.stoppedBecause}: ${edited.turns} turns, ${edited.tokens} tokens`);
    }
    const tested = await buildAndTest(worktree, base.sha, expectedPaths, proposal, step);

    if (!(await lease.renew())) throw new Error('lost the repository lease before the commit (another process recovered this execution)');
    step('commit', branch);
    const commit = await commitTree({ run, repoPath, bot, date: clock() }, proposal, actor, tested.tree, base.sha);
    await run(['update-ref', '-m', `improvement-loop: ${proposal.id}`, `refs/heads/${branch}`, commit, base.sha], { cwd: repoPath });
    const diffstat = (
      await run(['diff', '--stat=100', '--no-color', '--no-ext-diff', base.sha, commit], { cwd: repoPath })
    ).stdout.trimEnd();
    if (deps.execution.remote) {
      if (!(await lease.renew())) throw new Error('lost the repository lease before the push');
      step('push', `${deps.execution.remote} ${branch}`);
      await run(['push', '--no-verify', '--quiet', deps.execution.remote, `refs/heads/${branch}:refs/heads/${branch}`], { cwd: repoPath });
    }
    const merged =
      deps.safety.allowProductionDeploy && deps.safety.requireReview === false
        ? await mergeIntoBase({ run, repoPath, remote: deps.execution.remote, logger: deps.logger }, base, commit, step)
        : null;
    return {
      commit,
      diffstat: diffstat.slice(-4000),
      testSummary: tested.testSummary,
      ...(tested.testCounts ? { testCounts: tested.testCounts } : {}),
      outputTail: tested.outputTail,
      merged,
    };
  }

  async function finish(
    current: Proposal,
    idempotencyKey: string,
    to: 'implemented' | 'failed',
    execution: ExecutionResult,
    reason?: string,
  ): Promise<Proposal> {
    try {
      const result = await deps.store.transition({
        id: current.id,
        to,
        actor: 'executor',
        idempotencyKey: `${idempotencyKey}:${to}`,
        expectedStatus: 'executing',
        expectedVersion: current.version,
        ...(reason ? { reason: reason.slice(0, 2000) } : {}),
        changes: { execution },
      });
      await reporter.changed(result.proposal, to === 'implemented' ? 'implemented' : 'execution_failed', 'executor');
      return result.proposal;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Fenced: while this process was frozen, recovery declared the execution interrupted.
      deps.logger.error(
        { proposalId: current.id, to, err: error },
        'the execution result was refused: the proposal moved on meanwhile (recovered as interrupted?)',
      );
      return (await deps.store.get(current.id)) ?? current;
    }
  }

  return {
    worktreeRoot,
    hasAgent: Boolean(deps.agent),

    async execute(proposal, request: ExecutionRequest) {
      if (!isProposalId(proposal.id)) throw new ValidationError(`"${proposal.id}" is not a proposal id`);
      return withLease(proposal.id, async (lease) => {
        // Holding the lease, nothing else runs on this repository: whatever is still executing died.
        await recoverWhileHolding(recoveryDeps);
        const branch = `improvement/${proposal.id}`;
        const worktree = path.join(worktreeRoot, proposal.id);
        const startedAt = clock().toISOString();
        const started = await deps.store.transition({
          id: proposal.id,
          to: 'executing',
          actor: request.actor,
          idempotencyKey: request.idempotencyKey,
          expectedStatus: 'approved',
          expectedVersion: proposal.version,
          changes: { execution: { startedAt, branch } },
        });
        if (started.outcome === 'duplicate') return started.proposal;
        const current = started.proposal;
        await reporter.changed(current, 'execution_started', request.actor);
        await journal.write({ proposalId: current.id, version: current.version, branch, worktree, startedAt });
        reporter.step(current, request.actor, 'started', branch);

        const progress = { branchCreated: false };
        let produced: Produced | null = null;
        let failure: { error: string; testSummary?: string; testCounts?: TestCountComparison; outputTail?: string } | null = null;
        try {
          produced = await produce(current, request.actor, branch, worktree, lease, progress);
        } catch (error) {
          failure =
            error instanceof TestsFailed
              ? {
                  error: error.summary,
                  testSummary: error.summary,
                  ...(error.testCounts ? { testCounts: error.testCounts } : {}),
                  outputTail: error.outputTail,
                }
              : { error: (error as Error).message };
          deps.logger.warn({ proposalId: current.id, err: error }, 'execution failed');
        }
        reporter.step(
          current,
          request.actor,
          'cleanup',
          produced ? 'removing the worktree; the branch stays' : 'removing the worktree and the branch',
        );
        await worktrees.remove(worktree);
        if (!produced && progress.branchCreated)
          await worktrees
            .deleteBranch(branch)
            .catch((error: unknown) => deps.logger.error({ err: error, branch }, 'could not delete the branch'));
        const finishedAt = clock().toISOString();
        const result = produced
          ? await finish(
              current,
              request.idempotencyKey,
              'implemented',
              {
                startedAt,
                finishedAt,
                branch,
                commit: produced.commit,
                diffstat: produced.diffstat,
                testSummary: produced.testSummary,
                ...(produced.testCounts ? { testCounts: produced.testCounts } : {}),
                outputTail: produced.outputTail,
              },
              produced.merged ? `merged into ${produced.merged}` : undefined,
            )
          : await finish(
              current,
              request.idempotencyKey,
              'failed',
              {
                startedAt,
                finishedAt,
                branch,
                error: failure!.error,
                ...(failure!.testSummary ? { testSummary: failure!.testSummary } : {}),
                ...(failure!.testCounts ? { testCounts: failure!.testCounts } : {}),
                ...(failure!.outputTail ? { outputTail: failure!.outputTail } : {}),
              },
              failure!.error,
            );
        await journal.remove(current.id);
        reporter.step(result, request.actor, result.status, produced ? `${produced.commit.slice(0, 12)} on ${branch}` : failure!.error);
        return result;
      });
    },

    async rollback(proposal, request) {
      return withLease(proposal.id, (lease) =>
        rollbackImplemented({
          proposal,
          request,
          lease,
          run,
          worktrees,
          repoPath,
          worktreeRoot,
          remote: deps.execution.remote,
          baseBranch: deps.execution.baseBranch,
          store: deps.store,
          reporter,
          bot,
          clock,
          logger: deps.logger,
        }),
      );
    },

    async tryPatch(patch, declared = {}) {
      const at = () => clock().toISOString();
      return withLease('trial', async () => {
        const worktree = path.join(worktreeRoot, `trial-${randomBytes(6).toString('hex')}`);
        try {
          const base = await worktrees.resolveBase(deps.execution.baseBranch);
          const verdict = await judgeProposedPatch(run, repoPath, base.sha, patch, railsFor(declared));
          if (!verdict.allowed) return { passed: false, summary: `refused: ${describeRefusals(verdict.refusals)}`, at: at() };
          await mkdir(worktreeRoot, { recursive: true });
          await worktrees.add(worktree, null, base.sha);
          await applyPatch(run, worktree, patch);
          const tested = await buildAndTest(worktree, base.sha, verdict.paths, declared, () => undefined);
          return passedTrial(tested, at());
        } catch (error) {
          return failedTrial(error, at());
        } finally {
          await worktrees.remove(worktree);
        }
      });
    },

    async reviseBranch(proposal, patch, request) {
      const at = () => clock().toISOString();
      const refused = (summary: string): BranchRevision => ({ passed: false, summary: `refused: ${summary}`, at: at() });
      const branch = proposal.execution?.branch;
      if (!branch || !isProposalId(proposal.id)) return refused('the proposal has no branch to revise');
      return withLease(proposal.id, async (lease) => {
        // Under the lease: a rollback or another revision of this proposal cannot run meanwhile.
        const current = await deps.store.get(proposal.id);
        if (current?.status !== 'implemented') return refused(`the proposal is ${current?.status ?? 'gone'} now, not implemented`);
        if (!(await worktrees.branchExists(branch))) return refused(`the branch ${branch} no longer exists in the repository`);
        const inRepo = { cwd: repoPath };
        const head = (await run(['rev-parse', '--verify', `refs/heads/${branch}^{commit}`], inRepo)).stdout.trim();
        const base = await worktrees.resolveBase(deps.execution.baseBranch);
        // The revised patch replaces the branch's change as a whole: it is judged and tested on the branch's own start.
        const start = (await run(['merge-base', head, base.sha], inRepo)).stdout.trim();
        const worktree = path.join(worktreeRoot, `revision-${randomBytes(6).toString('hex')}`);
        try {
          const declared: TrialDeclaration = {
            type: current.type,
            changesTests: request.changesTests,
            ...(current.category ? { category: current.category } : {}),
            ...(current.upgrade ? { upgrade: current.upgrade } : {}),
          };
          const verdict = await judgeProposedPatch(run, repoPath, start, patch, railsFor(declared));
          if (!verdict.allowed) return refused(describeRefusals(verdict.refusals));
          await mkdir(worktreeRoot, { recursive: true });
          await worktrees.add(worktree, null, start);
          await applyPatch(run, worktree, patch);
          const tested = await buildAndTest(worktree, start, verdict.paths, declared, () => undefined);
          const headTree = (await run(['rev-parse', `${head}^{tree}`], inRepo)).stdout.trim();
          if (tested.tree === headTree) return refused('the revised patch gives the same files as the branch already has');
          if (!(await lease.renew())) throw new Error('lost the repository lease before the revision commit');
          const commit = await commitRevision({ run, repoPath, bot, date: clock() }, current, request, tested.tree, head);
          // Compare-and-set on the old head: a branch moved by anything else is not overwritten.
          await run(['update-ref', '-m', `improvement-loop: revision of ${proposal.id}`, `refs/heads/${branch}`, commit, head], inRepo);
          if (deps.execution.remote) {
            const pushed = await run(
              ['push', '--no-verify', '--quiet', deps.execution.remote, `refs/heads/${branch}:refs/heads/${branch}`],
              {
                ...inRepo,
                allowFailure: true,
              },
            );
            if (pushed.code !== 0) {
              // The remote (and so the pull request) did not take it: the branch goes back to what the remote has.
              await run(['update-ref', `refs/heads/${branch}`, head, commit], inRepo);
              throw new Error(`pushing the revision to ${deps.execution.remote} failed: ${pushed.stderr.trim().slice(0, 500)}`);
            }
          }
          const diffstat = (await run(['diff', '--stat=100', '--no-color', '--no-ext-diff', start, commit], inRepo)).stdout.trimEnd();
          return { ...passedTrial(tested, at()), commit, diffstat: diffstat.slice(-4000) };
        } catch (error) {
          return failedTrial(error, at());
        } finally {
          await worktrees.remove(worktree);
        }
      });
    },

    async recoverInterrupted(options = {}) {
      return recoverInterruptedExecutions({ lock: deps.lock, repoKey, ...recoveryDeps }, options.waitMs ?? 0);
    },
  };
}
