import { execFile } from 'node:child_process';

/**
 * Every git call the executor makes goes through here, so no call can forget the guards: the target
 * repository's hooks and fsmonitor never run (a patch that edits a husky hook must not execute on
 * commit), no signing prompt, no line-ending or filter rewrites we did not ask for, no pager, no
 * terminal prompt. The environment is ours, without the caller's GIT_* variables.
 */

export const GIT_GUARDS = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.autocrlf=false',
  '-c',
  'core.quotePath=true',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'tag.gpgsign=false',
  '-c',
  'core.pager=cat',
  '-c',
  'advice.detachedHead=false',
  '-c',
  'gc.auto=0',
  '-c',
  'maintenance.auto=false',
] as const;

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

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
  const baseEnv = gitEnvironment();
  return (args, options) =>
    new Promise((resolve, reject) => {
      const argv = [...GIT_GUARDS, ...args];
      observe?.(argv);
      const child = execFile(
        'git',
        argv,
        { cwd: options.cwd, env: { ...baseEnv, ...options.env }, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          if (code !== 0 && !options.allowFailure) reject(new GitCommandFailed(args, code, stderr));
          else resolve({ stdout, stderr, code });
        },
      );
      child.stdin?.on('error', () => undefined); // git may exit before reading all its input
      child.stdin?.end(options.input ?? '');
    });
}

function gitEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('GIT_')) env[name] = value;
  }
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };
}
