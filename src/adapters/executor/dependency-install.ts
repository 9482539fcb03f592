import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { exists, handOver, runSandboxed, type TestRunSettings } from './change-steps.ts';
import type { SandboxResult } from './sandbox/test-sandbox.ts';

/**
 * The install before the tests, for a worktree with a package-lock.json and no node_modules. Install
 * scripts never run (`--ignore-scripts`): a lockfile patch could otherwise run code before any test.
 * First `npm ci --offline` from TRIAL_NPM_CACHE, mounted read-only, with no network: it installs in
 * seconds or fails in seconds (ENOTCACHED) instead of retrying an unreachable registry for minutes.
 * Only TRIAL_INSTALL_NETWORK=registry lets a second attempt reach the network, for this step alone
 * and with a cache of its own (a shared cache the sandbox could write to would be a cache to poison).
 */

export type InstallOutcome = { ran: false } | { ran: true; ok: true } | { ran: true; ok: false; summary: string; output: string };

const FLAGS = '--ignore-scripts --no-audit --no-fund';

export async function installDependencies(worktree: string, home: string, settings: TestRunSettings): Promise<InstallOutcome> {
  if (!settings.installDependencies) return { ran: false };
  const hasLock = await exists(path.join(worktree, 'package-lock.json'));
  if (!hasLock || (await exists(path.join(worktree, 'node_modules')))) return { ran: false };
  await mkdir(home, { recursive: true });
  await handOver([worktree, home], settings.runAs);
  const { install } = settings;
  const limits = { ...settings.limits, timeoutMs: install.timeoutMs };
  const attempt = (command: string, network: 'none' | 'host', npmCache?: string) =>
    runSandboxed(
      {
        command: `${command} --logs-dir=${shellQuote(path.join(home, 'npm-logs'))}`,
        cwd: worktree,
        limits,
        home,
        network,
        ...(npmCache ? { npmCache } : {}),
        ...(settings.runAs ? { runAs: settings.runAs } : {}),
      },
      settings.runs,
    );

  const offlineCommand = `npm ci --offline ${FLAGS}`;
  const offline = await attempt(offlineCommand, 'none', install.npmCache);
  if (succeeded(offline)) return { ran: true, ok: true };
  const cache = install.npmCache ?? 'no cache';
  if (install.network !== 'registry')
    return {
      ran: true,
      ok: false,
      summary:
        `dependency install failed: \`${offlineCommand}\` ${describe(offline)} reading the npm cache ${cache} (no network). ` +
        `Fill that cache on the host (npm_config_cache=${cache} npm ci), point TRIAL_NPM_CACHE at one that holds every package of package-lock.json and that the sandbox user can read, ` +
        `or set TRIAL_INSTALL_NETWORK=registry to let the install step (only it, scripts ignored) reach the registry`,
      output: offline.output,
    };
  const onlineCommand = `npm ci ${FLAGS}`;
  const online = await attempt(onlineCommand, 'host');
  if (succeeded(online)) return { ran: true, ok: true };
  return {
    ran: true,
    ok: false,
    summary: `dependency install failed: \`${offlineCommand}\` ${describe(offline)} reading ${cache}, then \`${onlineCommand}\` (TRIAL_INSTALL_NETWORK=registry) ${describe(online)}`,
    output: `${offline.output}\n--- ${onlineCommand} ---\n${online.output}`,
  };
}

function succeeded(result: SandboxResult): boolean {
  return !result.timedOut && result.exitCode === 0;
}

function describe(result: SandboxResult): string {
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  if (result.timedOut) return `timed out after ${seconds} (TRIAL_INSTALL_TIMEOUT_MS)`;
  const missing = /ENOTCACHED[\s\S]*?request to (\S+) failed/.exec(result.output)?.[1];
  const exit = result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited ${result.exitCode}`;
  return `${exit} in ${seconds}${missing ? ` (not in the cache: ${missing})` : ''}`;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
