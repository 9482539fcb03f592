import { readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { ConflictError } from '../../domain/errors.ts';
import type { Proposal } from '../../domain/proposal.ts';
import type { Logger } from '../../logging.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { ExecutionJournal } from './execution-journal.ts';
import type { ExecutionReporter } from './execution-reporter.ts';
import type { GitRun } from './git/git-command.ts';
import type { Worktrees } from './git/worktrees.ts';
import { acquireRepoLease, type RepoLock } from './lock/repo-lock.ts';
import { killLeftoverRun } from './sandbox/leftover-runs.ts';
import type { TestRunJournal } from './test-run-journal.ts';

interface RecoveryDeps {
  lock: RepoLock;
  repoKey: string;
  store: ProposalStore;
  journal: ExecutionJournal;
  testRuns: TestRunJournal;
  worktrees: Worktrees;
  worktreeRoot: string;
  repoPath: string;
  /** The push may have happened before the crash: the remote copy of the branch goes too. */
  remote: string | undefined;
  run: GitRun;
  clock: () => Date;
  logger: Logger;
  reporter: ExecutionReporter;
}

/**
 * Finishes what a dead executor left behind. It runs only while holding the repository lease: if a
 * live process holds it (past `waitMs`), its executions are alive and nothing is touched. Holding the lease, no
 * execution can be running on this repository, so what is left of journaled test runs is killed, and
 * every proposal still `executing` was interrupted: its worktree and branch are removed and it becomes
 * `failed` (reason "interrupted"), fenced on the version it had when it started. Leftover worktree folders, journal records and git ref locks of
 * our branches are removed too. The user's working tree, index, HEAD and stash are not read or written.
 */
export async function recoverInterruptedExecutions(deps: RecoveryDeps, waitMs = 0): Promise<{ recovered: string[] }> {
  const lease = await acquireRepoLease(deps.lock, deps.repoKey, { waitMs });
  if (!lease) {
    deps.logger.info('the repository lease is held by a live execution; nothing to recover now');
    return { recovered: [] };
  }
  try {
    return await recoverWhileHolding(deps);
  } finally {
    await lease.release().catch(() => undefined);
  }
}

/**
 * The recovery itself, for a caller that already holds the repository lease (every execution runs
 * it first, so a crash is cleaned up by the next execution even when no restart ran recovery).
 */
export async function recoverWhileHolding(deps: Omit<RecoveryDeps, 'lock' | 'repoKey'>): Promise<{ recovered: string[] }> {
  // First, so no leftover test keeps writing into a worktree while it is removed.
  await killLeftoverTestRuns(deps);
  const recovered: string[] = [];
  const journaled = new Map((await deps.journal.list()).map((entry) => [entry.proposalId, entry]));
  // The demo repository may not exist yet at the first start: then there is no git state to clean.
  const gitDir = await deps.worktrees.commonDir().catch(() => null);
  for (const proposal of await executingProposals(deps.store)) {
    const entry = journaled.get(proposal.id);
    const branch = entry?.branch ?? proposal.execution?.branch ?? `improvement/${proposal.id}`;
    const worktree = entry?.worktree ?? path.join(deps.worktreeRoot, proposal.id);
    // A kill -9 during `branch` or `update-ref` leaves the ref's lock file; git would refuse the delete.
    if (gitDir) await rm(path.join(gitDir, 'refs', 'heads', `${branch}.lock`), { force: true });
    await deps.worktrees.remove(worktree);
    await deps.worktrees.deleteBranch(branch);
    if (deps.remote)
      await deps.run(['push', '--no-verify', '--quiet', deps.remote, '--delete', `refs/heads/${branch}`], {
        cwd: deps.repoPath,
        allowFailure: true,
      });
    const finishedAt = deps.clock().toISOString();
    try {
      const result = await deps.store.transition({
        id: proposal.id,
        to: 'failed',
        actor: 'executor',
        idempotencyKey: `recover:${proposal.id}:${proposal.version}`,
        expectedStatus: 'executing',
        expectedVersion: proposal.version,
        reason: 'interrupted: the process running this execution stopped; its worktree and branch were removed',
        changes: { execution: { ...proposal.execution, finishedAt, branch, error: 'interrupted' } },
      });
      recovered.push(proposal.id);
      deps.reporter.step(result.proposal, 'executor', 'failed', 'interrupted; cleaned up at restart');
      await deps.reporter.changed(result.proposal, 'execution_failed', 'executor');
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      deps.logger.warn({ proposalId: proposal.id, err: error }, 'the interrupted execution moved on meanwhile; left as it is');
    }
    await deps.journal.remove(proposal.id);
    journaled.delete(proposal.id);
  }
  // What is left belongs to no running execution: stale journal records, worktree folders, sandbox homes.
  for (const id of journaled.keys()) await deps.journal.remove(id);
  for (const name of await readdir(deps.worktreeRoot).catch(() => [] as string[])) {
    if (name === 'journal') continue;
    if (name === 'homes') await rm(path.join(deps.worktreeRoot, name), { recursive: true, force: true });
    else await deps.worktrees.remove(path.join(deps.worktreeRoot, name));
  }
  // Our admin folders whose checkout is already gone; the user's worktrees are never pruned.
  await deps.worktrees.removeOursUnder(deps.worktreeRoot);
  if (recovered.length) deps.logger.warn({ recovered }, 'recovered interrupted executions');
  return { recovered };
}

/**
 * Holding the lease, no test run of this repository is in progress: every record is a leftover.
 * Each is killed as far as it can be proven to be the run (see leftover-runs.ts), then forgotten.
 */
async function killLeftoverTestRuns(deps: Pick<RecoveryDeps, 'testRuns' | 'logger'>): Promise<void> {
  const here = hostname();
  for (const run of await deps.testRuns.list()) {
    if (run.host !== here) {
      deps.logger.warn(
        { marker: run.marker, host: run.host },
        'a leftover test run of another host cannot be checked from here; forgotten',
      );
      continue;
    }
    const killed = await killLeftoverRun(run);
    if (killed.length) deps.logger.warn({ marker: run.marker, command: run.command, killed }, 'killed what was left of a test run');
  }
  await deps.testRuns.clear();
}

async function executingProposals(store: ProposalStore): Promise<Proposal[]> {
  const found: Proposal[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await store.list({ status: 'executing', limit: 500, offset });
    for (const item of page.items) {
      const proposal = await store.get(item.id);
      if (proposal?.status === 'executing') found.push(proposal);
    }
    if (page.items.length < 500) return found;
  }
}
