/**
 * The dependency install before a trial's tests, in the real sandbox, on the upgrade project of
 * test/adapters/executor (tiny-dep, wrap-dep, packed into a temporary npm cache, never ~/.npm):
 * `npm ci --offline --ignore-scripts` with every package in the cache, and with an empty cache (the
 * fail-fast case), median of BENCH_RUNS. BENCH_OLD=1 adds, once, what a plain `npm ci` does in
 * the no-network sandbox (what the backed-out attempt ran: it retries the registry until its
 * timeout, BENCH_OLD_TIMEOUT_MS, 200 s by default).
 * Run: npx tsx bench/dependency-install.ts
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { installDependencies } from '../src/adapters/executor/dependency-install.ts';
import type { TestRunSettings } from '../src/adapters/executor/change-steps.ts';
import { runSandboxed } from '../src/adapters/executor/sandbox/test-sandbox.ts';
import { createOfflineNpmCache } from '../test/adapters/executor/offline-npm-cache.ts';
import { npmJson, upgradeLockfile3, upgradeManifest } from '../test/adapters/executor/upgrade-project.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const OLD_TIMEOUT_MS = Number(process.env.BENCH_OLD_TIMEOUT_MS ?? 200_000);
const limits = { timeoutMs: 60_000, memoryMb: 4096, maxProcesses: 512, outputMaxBytes: 64 * 1024, envAllowlist: ['PATH', 'LANG'] };

const cache = await createOfflineNpmCache();
const work = await mkdtemp(path.join(os.tmpdir(), 'il-bench-install-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function project(name: string): Promise<string> {
  const dir = path.join(work, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), npmJson(upgradeManifest()));
  await writeFile(path.join(dir, 'package-lock.json'), npmJson(upgradeLockfile3(cache.integrities)));
  return dir;
}

async function timeInstall(npmCache: string): Promise<{ ms: number; ok: boolean; summary: string }> {
  const dir = await project('project');
  const settings: TestRunSettings = {
    command: 'true',
    limits,
    installDependencies: true,
    install: { network: 'none', timeoutMs: 60_000, npmCache },
  };
  const started = performance.now();
  const outcome = await installDependencies(dir, path.join(work, 'home'), settings);
  const ms = performance.now() - started;
  return { ms, ok: outcome.ran && outcome.ok, summary: outcome.ran && !outcome.ok ? outcome.summary : 'installed' };
}

try {
  const hit: number[] = [];
  const miss: number[] = [];
  let missSummary = '';
  for (let i = 0; i < RUNS; i++) {
    const ok = await timeInstall(cache.dir);
    if (!ok.ok) throw new Error(`the offline install failed with a full cache: ${ok.summary}`);
    hit.push(ok.ms);
    const failed = await timeInstall(cache.emptyDir);
    if (failed.ok) throw new Error('the offline install succeeded from an empty cache');
    miss.push(failed.ms);
    missSummary = failed.summary;
  }
  console.log(`offline install, every package in the cache (median of ${RUNS}): ${median(hit).toFixed(0)} ms`);
  console.log(`offline install, empty cache, fails (median of ${RUNS}): ${median(miss).toFixed(0)} ms`);
  console.log(`  its summary: ${missSummary.slice(0, 220)}…`);
  if (process.env.BENCH_OLD === '1') {
    const dir = await project('old');
    const home = path.join(work, 'old-home');
    await mkdir(home, { recursive: true });
    const result = await runSandboxed({
      command: 'npm ci --ignore-scripts --no-audit --no-fund',
      cwd: dir,
      limits: { ...limits, timeoutMs: OLD_TIMEOUT_MS },
      home,
      network: 'none',
    });
    console.log(
      `plain npm ci in the no-network sandbox (the backed-out attempt): ${result.timedOut ? `still retrying when killed at ${(result.durationMs / 1000).toFixed(0)} s` : `exit ${result.exitCode} after ${(result.durationMs / 1000).toFixed(1)} s`}`,
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await cache.cleanup();
}
