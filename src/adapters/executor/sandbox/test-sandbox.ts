import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { bwrapMounts } from './bwrap-mounts.ts';
import { probeIsolation } from './isolation.ts';
import { describeLeader, killLeftoverRun, RUN_MARKER_VARIABLE, type RunLeader } from './leftover-runs.ts';

/**
 * Runs a change's tests, which is running code nobody reviewed yet: the environment holds only the
 * allow-listed variables (no tokens, no keys), HOME points at a throwaway folder (not at ~/.npmrc or
 * ~/.git-credentials), there is no network where namespaces are available, memory and processes
 * are limited with prlimit, the run is killed as a whole (process group, PID namespace) at its
 * timeout, and only the tail of its output is kept.
 */

export interface SandboxLimits {
  timeoutMs: number;
  memoryMb: number;
  maxProcesses: number;
  outputMaxBytes: number;
  envAllowlist: readonly string[];
  /** Run tests without bubblewrap where it is unavailable (accepting that they see the service's files); default false. */
  allowUnsandboxed?: boolean;
}

/** No isolation layer here, and the risk was not accepted: nothing runs. */
export class SandboxUnavailable extends Error {
  override name = 'SandboxUnavailable';
}

export interface SandboxRun {
  command: string;
  cwd: string;
  limits: SandboxLimits;
  /** Fresh folder used as HOME (and for npm's cache). */
  home: string;
  /** 'none' for tests and the offline install; 'host' for an install allowed to download (TRIAL_INSTALL_NETWORK=registry). */
  network: 'none' | 'host';
  /** An npm cache to read packages from, mounted read-only and named as npm's cache (the offline install only). */
  npmCache?: string;
  /** Run as this user (root only): RLIMIT_NPROC does not bind root, and root can read every secret file. */
  runAs?: { uid: number; gid: number };
  /** Where the allow-listed variables are read from (process.env by default). */
  sourceEnv?: NodeJS.ProcessEnv;
  /** Put in the run's environment (RUN_MARKER_VARIABLE) so its descendants can be found; random by default. */
  marker?: string;
  /** Called once the run has started, with its process group as /proc shows it (null without /proc). */
  onSpawned?: (leader: RunLeader | null) => void;
}

export interface SandboxResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  /** The last outputMaxBytes of stdout and stderr, interleaved as they came. */
  output: string;
  outputBytes: number;
  truncated: boolean;
  /** Layers that were really in place, e.g. ['env-allowlist', 'no-network', 'pid-namespace', 'prlimit']. */
  layers: string[];
}

export function sandboxEnvironment(
  allowlist: readonly string[],
  source: NodeJS.ProcessEnv,
  home: string,
  marker?: string,
  npmCache?: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of allowlist) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  env.HOME = home;
  env.npm_config_cache = npmCache ?? `${home}/.npm`;
  env.npm_config_update_notifier = 'false';
  if (marker) env[RUN_MARKER_VARIABLE] = marker;
  return env;
}

export function runSandboxed(run: SandboxRun): Promise<SandboxResult> {
  const isolation = probeIsolation();
  const layers = ['env-allowlist', 'process-group', 'timeout', 'output-cap'];
  // First wrapper: if the executor dies (even kill -9), the kernel kills the run, and with it its namespace.
  const argv: string[] = [];
  if (isolation.bwrap) {
    // The credential change comes first, so bwrap's --die-with-parent is set after it and holds.
    if (run.runAs && isolation.setpriv) {
      argv.push(isolation.setpriv, `--reuid=${run.runAs.uid}`, `--regid=${run.runAs.gid}`, '--clear-groups', '--');
      layers.push('unprivileged-user');
    }
    argv.push(
      isolation.bwrap,
      '--unshare-all',
      ...(run.network === 'host' ? ['--share-net'] : []),
      '--die-with-parent',
      '--new-session',
      ...bwrapMounts(run.cwd, run.home, Boolean(run.runAs && isolation.setpriv), run.npmCache ? [run.npmCache] : []),
      '--',
    );
    layers.push('mount-namespace', 'private-tmp', 'pid-namespace', 'dies-with-executor', ...(run.network === 'none' ? ['no-network'] : []));
    if (isolation.prlimit) {
      argv.push(isolation.prlimit, `--as=${run.limits.memoryMb * 1024 * 1024}`, `--nproc=${run.limits.maxProcesses}`, '--core=0', '--');
      layers.push('prlimit');
    }
  } else {
    if (!run.limits.allowUnsandboxed) {
      return Promise.reject(
        new SandboxUnavailable(
          "refused: bubblewrap (bwrap) is unavailable here, so the tests would see the service's files; install bubblewrap (and allow unprivileged user namespaces) or set TEST_ALLOW_UNSANDBOXED=true to accept the risk",
        ),
      );
    }
    argv.push(...unsandboxedPrefix(run, isolation, layers));
  }
  argv.push('/bin/sh', '-c', run.command);

  const marker = run.marker ?? randomBytes(12).toString('hex');
  const started = Date.now();
  const cap = run.limits.outputMaxBytes;
  let chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  const keep = (chunk: Buffer) => {
    total += chunk.length;
    chunks.push(chunk);
    kept += chunk.length;
    // Trim in batches (at twice the cap) so a chatty test does not make this quadratic.
    if (kept > cap * 2) {
      const tail = Buffer.concat(chunks).subarray(-cap);
      chunks = [tail];
      kept = tail.length;
    }
  };

  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: run.cwd,
      env: sandboxEnvironment(run.limits.envAllowlist, run.sourceEnv ?? process.env, run.home, marker, run.npmCache),
      detached: true, // its own process group, so the timeout kills the whole tree
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Read now: the process cannot be reaped (and its pid reused) before this callback returns.
    if (child.pid) run.onSpawned?.(describeLeader(child.pid));
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, run.limits.timeoutMs);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let settled = false;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      killGroup(); // background processes the tests left behind die with the run
      const tail = Buffer.concat(chunks).subarray(-cap);
      // Those that left the group (setsid) too, when no PID namespace took them with it.
      void killLeftoverRun({ marker })
        .catch(() => [])
        .then(() =>
          resolve({
            exitCode,
            signal,
            timedOut,
            durationMs: Date.now() - started,
            output: tail.toString('utf8'),
            outputBytes: total,
            truncated: total > tail.length,
            layers,
          }),
        );
    };
    child.once('error', (error) => {
      keep(Buffer.from(`\n[sandbox] could not start the test command: ${error.message}\n`));
      finish(null, null);
    });
    child.once('exit', (code, signal) => {
      // A grandchild may still hold the pipes open; give the output a moment, then stop waiting.
      const grace = setTimeout(() => finish(code, signal), 500);
      child.once('close', () => {
        clearTimeout(grace);
        finish(code, signal);
      });
    });
  });
}

/** The older layers (unshare, prlimit, setpriv) for hosts without bubblewrap, used only when the risk was accepted. */
function unsandboxedPrefix(run: SandboxRun, isolation: ReturnType<typeof probeIsolation>, layers: string[]): string[] {
  const argv: string[] = [...isolation.dieWithParent];
  if (isolation.dieWithParent.length) layers.push('dies-with-executor');
  const namespaces = run.network === 'none' ? isolation.namespaces : isolation.pidOnly;
  if (namespaces.length) {
    argv.push(...namespaces);
    layers.push(...(run.network === 'none' ? ['no-network', 'pid-namespace'] : ['pid-namespace']));
  }
  if (isolation.prlimit) {
    argv.push(isolation.prlimit, `--as=${run.limits.memoryMb * 1024 * 1024}`, `--nproc=${run.limits.maxProcesses}`, '--core=0', '--');
    layers.push('prlimit');
  }
  if (run.runAs && isolation.setpriv) {
    argv.push(isolation.setpriv, `--reuid=${run.runAs.uid}`, `--regid=${run.runAs.gid}`, '--clear-groups', '--');
    layers.push('unprivileged-user');
  }
  return argv;
}
