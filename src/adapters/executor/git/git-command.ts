import { createGitProcess, gitGuardArgs, type GitProcessResult } from '../../git/git-runner.ts';

/**
 * Every git call the executor makes goes through here, so no call can forget the guards. The guards
 * and the environment are the ones all our git calls share (adapters/git/git-runner.ts): the target
 * repository's hooks, fsmonitor, pager and editor never run (a patch that edits a husky hook must not
 * execute on commit), no signing prompt, no line-ending rewrites we did not ask for, no terminal
 * prompt, no caller's GIT_* variables. The executor adds quotePath=true (it parses quoted names) and
 * passes on what a push needs.
 */

const EXECUTOR_CONFIG = ['core.quotePath=true'];

export const GIT_GUARDS: readonly string[] = gitGuardArgs(EXECUTOR_CONFIG);

export type GitResult = GitProcessResult;

export interface GitRunOptions {
  cwd: string;
  input?: string;
  env?: Record<string, string>;
  /** Resolve with the exit code instead of throwing when git fails. */
  allowFailure?: boolean;
}

export type GitRun = (args: readonly string[], options: GitRunOptions) => Promise<GitResult>;

export class GitCommandFailed extends Error {
  override name = 'GitCommandFailed';
  constructor(
    readonly args: readonly string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${code}): ${stderr.trim().slice(-2000)}`);
  }
}

/** `observe` sees every argument list as spawned (the hook-guard test asserts on it). */
export function createGitRun(observe?: (argv: readonly string[]) => void): GitRun {
  const git = createGitProcess({ config: EXECUTOR_CONFIG, remotes: true, observe });
  return async (args, options) => {
    const result = await git(args, options);
    if (result.code !== 0 && !options.allowFailure) throw new GitCommandFailed(args, result.code, result.stderr);
    return result;
  };
}
