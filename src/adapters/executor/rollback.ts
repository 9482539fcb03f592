import path from 'node:path';
import type { Proposal } from '../../domain/proposal.ts';
import type { Logger } from '../../logging.ts';
import type { ExecutionRequest } from '../../ports/executor.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { ExecutionReporter } from './execution-reporter.ts';
import type { GitRun } from './git/git-command.ts';
import { botIdentityEnv } from './git/branch-commits.ts';
import type { Worktrees } from './git/worktrees.ts';
import type { RepoLease } from './lock/repo-lock.ts';

interface RollbackDeps {
  proposal: Proposal;
  request: ExecutionRequest & { reason: string };
  lease: RepoLease;
  run: GitRun;
  worktrees: Worktrees;
  repoPath: string;
  worktreeRoot: string;
  remote: string | undefined;
  baseBranch: string | undefined;
  store: ProposalStore;
  reporter: ExecutionReporter;
  bot: { name: string; email: string };
  clock: () => Date;
  logger: Logger;
}

/**
 * implemented → rolled_back. While the change is not in the base branch, undoing it is deleting its
 * branch (locally and on the remote). Once merged, a revert commit goes on the proposal's branch, to
 * be merged like any change: the executor never rewrites the base branch. The plan that was
 * carried out is recorded in the history entry.
 */
export async function rollbackImplemented(deps: RollbackDeps): Promise<Proposal> {
  const { proposal, request, run, worktrees } = deps;
  const branch = proposal.execution?.branch ?? `improvement/${proposal.id}`;
  const commit = proposal.execution?.commit;
  const base = await worktrees.resolveBase(deps.baseBranch);
  const merged = commit ? await worktrees.isAncestor(commit, base.name) : false;
  const step = (detail: string) => deps.reporter.step(proposal, request.actor, 'rollback', detail);
  let plan: string;

  if (!merged) {
    step(`deleting the unmerged branch ${branch}`);
    if (deps.remote) {
      if (!(await deps.lease.renew())) throw new Error('lost the repository lease before deleting the remote branch');
      const pushed = await run(['push', '--no-verify', '--quiet', deps.remote, '--delete', `refs/heads/${branch}`], {
        cwd: deps.repoPath,
        allowFailure: true,
      });
      if (pushed.code !== 0) deps.logger.warn({ branch, stderr: pushed.stderr }, 'the remote branch could not be deleted (already gone?)');
    }
    await worktrees.deleteBranch(branch);
    plan = `deleted the unmerged branch ${branch}${commit ? ` (commit ${commit.slice(0, 12)})` : ''}${deps.remote ? ` here and on ${deps.remote}` : ''}`;
  } else {
    const worktree = path.join(deps.worktreeRoot, `rollback-${proposal.id}`);
    step(`reverting ${commit!.slice(0, 12)} on ${branch}`);
    try {
      if (await worktrees.branchExists(branch)) await worktrees.addExisting(worktree, branch);
      else await worktrees.add(worktree, branch, base.sha);
      const env = botIdentityEnv(deps.bot, deps.clock());
      await run(['revert', '--no-edit', commit!], { cwd: worktree, env });
      const revert = (await run(['rev-parse', 'HEAD'], { cwd: worktree })).stdout.trim();
      if (deps.remote) {
        if (!(await deps.lease.renew())) throw new Error('lost the repository lease before the push');
        await run(['push', '--no-verify', '--quiet', deps.remote, `refs/heads/${branch}:refs/heads/${branch}`], { cwd: deps.repoPath });
      }
      plan = `reverted ${commit!.slice(0, 12)} on ${branch} as ${revert.slice(0, 12)}; merge ${branch} into ${base.name} to undo the change there`;
    } finally {
      await worktrees.remove(worktree);
    }
  }

  const result = await deps.store.transition({
    id: proposal.id,
    to: 'rolled_back',
    actor: request.actor,
    idempotencyKey: request.idempotencyKey,
    expectedStatus: 'implemented',
    expectedVersion: proposal.version,
    reason: `${request.reason} (rollback: ${plan})`.slice(0, 2000),
  });
  await deps.reporter.changed(result.proposal, 'rolled_back', request.actor);
  deps.reporter.step(result.proposal, request.actor, 'rolled_back', plan);
  return result.proposal;
}
