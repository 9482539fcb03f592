import type { Proposal } from '../../../domain/proposal.ts';
import type { Logger } from '../../../logging.ts';
import type { GitRun } from './git-command.ts';

interface CommitDeps {
  run: GitRun;
  repoPath: string;
  bot: { name: string; email: string };
  date: Date;
}

/**
 * A commit of exactly the judged tree (not of whatever the tests left in the folder), by the bot,
 * with who proposed, approved and executed it in trailers. `commit-tree` runs no hook at all.
 */
export async function commitTree(deps: CommitDeps, proposal: Proposal, actor: string, tree: string, parent: string): Promise<string> {
  const approver = [...proposal.history].reverse().find((entry) => entry.to === 'approved')?.actor ?? 'unknown';
  const message = `${proposal.title.replace(/\s+/g, ' ').slice(0, 72)}\n\n${proposal.summary}\n\nProposal-Id: ${proposal.id}\nApproved-By: ${approver}\nExecuted-By: ${actor}\n`;
  const env = botIdentityEnv(deps.bot, deps.date);
  return (await deps.run(['commit-tree', tree, '-p', parent, '-F', '-'], { cwd: deps.repoPath, input: message, env })).stdout.trim();
}

/** A revision's commit on top of the branch: the revised tree, with who asked for it in a trailer. */
export async function commitRevision(
  deps: CommitDeps,
  proposal: Proposal,
  request: { actor: string; explanation: string },
  tree: string,
  parent: string,
): Promise<string> {
  const title = `Revise: ${proposal.title.replace(/\s+/g, ' ')}`.slice(0, 72);
  const message = `${title}\n\n${request.explanation}\n\nProposal-Id: ${proposal.id}\nRevision-Requested-By: ${request.actor}\n`;
  const env = botIdentityEnv(deps.bot, deps.date);
  return (await deps.run(['commit-tree', tree, '-p', parent, '-F', '-'], { cwd: deps.repoPath, input: message, env })).stdout.trim();
}

/** The bot as author and committer, at one fixed time, for every commit the executor makes. */
export function botIdentityEnv(bot: { name: string; email: string }, at: Date): Record<string, string> {
  const date = at.toISOString();
  return {
    GIT_AUTHOR_NAME: bot.name,
    GIT_AUTHOR_EMAIL: bot.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: bot.name,
    GIT_COMMITTER_EMAIL: bot.email,
    GIT_COMMITTER_DATE: date,
  };
}

interface MergeDeps {
  run: GitRun;
  repoPath: string;
  remote: string | undefined;
  logger: Logger;
}

/**
 * Only with ALLOW_PRODUCTION_DEPLOY=true and REQUIRE_REVIEW=false: fast-forwards the base branch to
 * the commit. On the remote when there is one (a plain push: the remote refuses a non-fast-forward);
 * locally only when no worktree has the base branch checked out, since moving a checked-out branch
 * would leave that working tree dirty. Returns where it merged, or null.
 */
export async function mergeIntoBase(
  deps: MergeDeps,
  base: { name: string; sha: string },
  commit: string,
  step: (stage: string, detail?: string) => void,
): Promise<string | null> {
  if (deps.remote) {
    step('merge', `fast-forward ${deps.remote}/${base.name}`);
    await deps.run(['push', '--no-verify', '--quiet', deps.remote, `${commit}:refs/heads/${base.name}`], { cwd: deps.repoPath });
    return `${deps.remote}/${base.name}`;
  }
  const checkedOut = (await deps.run(['worktree', 'list', '--porcelain'], { cwd: deps.repoPath })).stdout.includes(
    `branch refs/heads/${base.name}\n`,
  );
  if (checkedOut) {
    deps.logger.warn({ base: base.name }, 'not merged: the base branch is checked out, and moving it would leave that working tree dirty');
    return null;
  }
  step('merge', `fast-forward ${base.name}`);
  // The old value makes this a compare-and-set: a base branch that moved meanwhile is not overwritten.
  await deps.run(['update-ref', `refs/heads/${base.name}`, commit, base.sha], { cwd: deps.repoPath });
  return base.name;
}
