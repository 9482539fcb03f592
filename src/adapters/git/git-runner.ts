import { execFile } from 'node:child_process';
import { simpleGit, type SimpleGit } from 'simple-git';

/**
 * The one place that says how this service runs git: the executor (execFile), the history reader and
 * the demo builder (simple-git) all take their guards and their environment from here, so a guard
 * added here reaches every git call.
 *
 * The configuration of the repository we work in, of its user and of the machine is not trusted to run
 * programs: a hooks path, an fsmonitor, a pager or an editor planted there would otherwise run as us.
 * `safe.directory` is deliberately never set: git's ownership check stays as strict as git makes it.
 */
export const GIT_GUARD_CONFIG: readonly string[] = [
  'core.hooksPath=/dev/null', // no hook runs: not .git/hooks, not husky's, not one a patch edits
  'core.fsmonitor=false',
  'core.pager=cat',
  'core.editor=false', // a command that would open an editor fails instead of running a configured one
  'sequence.editor=false',
  'commit.gpgsign=false', // no signing program, no passphrase prompt
  'tag.gpgsign=false',
  'core.autocrlf=false', // no line-ending rewrites we did not ask for
  'advice.detachedHead=false',
  'gc.auto=0', // no background gc or maintenance in the user's repository
  'maintenance.auto=false',
];

/** The guards and then the caller's own settings, which may not name a guarded key (a later -c would win). */
export function guardedConfig(extraConfig: readonly string[] = []): string[] {
  const guarded = new Set(GIT_GUARD_CONFIG.map(configKey));
  for (const setting of extraConfig) {
    if (guarded.has(configKey(setting))) throw new Error(`git setting ${setting} would override a guard`);
  }
  return [...GIT_GUARD_CONFIG, ...extraConfig];
}

/** `-c key=value` for each of guardedConfig's settings. */
export function gitGuardArgs(extraConfig: readonly string[] = []): string[] {
  return guardedConfig(extraConfig).flatMap((setting) => ['-c', setting]);
}

function configKey(setting: string): string {
  const equals = setting.indexOf('=');
  return (equals === -1 ? setting : setting.slice(0, equals)).trim().toLowerCase();
}

/** Variables git gets from our environment; everything else (the caller's GIT_*, EDITOR, PAGER, …) stays behind. */
const PASSED_ON = ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR'];

/** What pushing to a remote may need: the ssh agent, proxies, certificates, git's XDG config (credentials). */
const PASSED_ON_FOR_REMOTES = [
  'SSH_AUTH_SOCK',
  'XDG_CONFIG_HOME',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
  ...['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY'].flatMap((name) => [name, name.toLowerCase()]),
];

/** Set on every call, after the caller's variables, so no caller can undo them. */
const FIXED_ENVIRONMENT: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: '1', // the machine's /etc/gitconfig is not ours
  GIT_TERMINAL_PROMPT: '0', // a missing credential fails instead of waiting for a terminal
  GIT_OPTIONAL_LOCKS: '0', // reads take no index lock the user's own git could trip over
  GIT_PAGER: 'cat', // beats `pager.<command>` as well as core.pager
  // git's known-safe transports only, overriding any protocol.*.allow in any config (a repository's
  // `protocol.ext.allow=always` beats a -c protocol.allow=never): no `ext::` URL runs a command and no
  // other remote helper starts.
  GIT_ALLOW_PROTOCOL: 'file:git:ssh:http:https',
  LC_ALL: 'C', // messages we match on are in English
};

export interface GitEnvironmentOptions {
  /** Pass on what talking to a remote needs (only the executor pushes). */
  remotes?: boolean;
  /** The caller's own variables, e.g. a commit's identity and dates. */
  extra?: Record<string, string>;
}

/** The environment of a git call, read from `source` (process.env) when the client is made. */
export function gitEnvironment(options: GitEnvironmentOptions = {}, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of options.remotes ? [...PASSED_ON, ...PASSED_ON_FOR_REMOTES] : PASSED_ON) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...options.extra, ...FIXED_ENVIRONMENT };
}

export interface GitProcessResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitProcessOptions {
  cwd: string;
  input?: string;
  env?: Record<string, string>;
}

export interface GitProcessSettings {
  /** Settings after the guards (e.g. core.quotePath). */
  config?: readonly string[];
  remotes?: boolean;
  /** Sees every argument list as spawned, guards included. */
  observe?: (argv: readonly string[]) => void;
}

/** git through execFile: guards first, our environment, never a shell. Resolves with the exit code; rejects never. */
export function createGitProcess(settings: GitProcessSettings = {}) {
  const guards = gitGuardArgs(settings.config);
  const baseEnv = gitEnvironment({ remotes: settings.remotes });
  return (args: readonly string[], options: GitProcessOptions): Promise<GitProcessResult> =>
    new Promise((resolve) => {
      const argv = [...guards, ...args];
      settings.observe?.(argv);
      const env = { ...baseEnv, ...options.env, ...FIXED_ENVIRONMENT };
      const child = execFile(
        'git',
        argv,
        { cwd: options.cwd, env, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          resolve({ stdout, stderr, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0 });
        },
      );
      child.stdin?.on('error', () => undefined); // git may exit before reading all its input
      child.stdin?.end(options.input ?? '');
    });
}

export interface GuardedSimpleGitOptions {
  baseDir: string;
  /** Settings after the guards (e.g. core.quotePath, core.fileMode). */
  config?: readonly string[];
  /** The caller's own variables (identity, dates); the rest of the environment is gitEnvironment's. */
  env?: Record<string, string>;
  maxConcurrentProcesses?: number;
}

/** A simple-git client with the same guards and environment as createGitProcess. */
export function createGuardedSimpleGit(options: GuardedSimpleGitOptions): SimpleGit {
  const env = gitEnvironment({ extra: options.env });
  const git = simpleGit({
    baseDir: options.baseDir,
    config: guardedConfig(options.config),
    ...(options.maxConcurrentProcesses === undefined ? {} : { maxConcurrentProcesses: options.maxConcurrentProcesses }),
    // simple-git 4 refuses any -c or variable for these keys; ours switch them off or pin them to a
    // harmless value, which is the safe direction. No caller puts outside input into -c.
    unsafe: {
      allowUnsafeHooksPath: true,
      allowUnsafeFsMonitor: true,
      allowUnsafePager: true,
      allowUnsafeEditor: true,
    },
    // simple-git also refuses GIT_* variables unless listed: list exactly the ones we set.
    allowEnvironment: Object.keys(env).filter((name) => name.startsWith('GIT_')),
  });
  return git.env(env);
}
