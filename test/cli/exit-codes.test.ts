import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, makeDataDir, runBinary, type Run } from './binary.ts';

describe('the improvement-loop binary', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  const runs: Record<string, Run> = {};

  // One child process per case, all started at once: each pays tsx's start-up, not each other's.
  // Many child processes start at once; on a loaded 2-core CI machine that can take a while.
  beforeAll(async () => {
    dirs = await makeDataDir();
    const link = path.join(dirs.cwd, 'node_modules', '.bin', 'improvement-loop');
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(BIN, link);
    // A directory where the SQLite file should be: the store cannot open.
    const brokenDataDir = path.join(dirs.cwd, 'broken');
    await mkdir(path.join(brokenDataDir, 'store.sqlite'), { recursive: true });
    const run = (args: string[], extra: { env?: Record<string, string>; executable?: string } = {}) =>
      runBinary(args, { dataDir: dirs.dataDir, cwd: dirs.cwd, ...extra });
    const cases: Record<string, Promise<Run>> = {
      help: run(['--help']),
      viaSymlink: run(['--version'], { executable: link }),
      unknownCommand: run(['frobnicate']),
      unknownOption: run(['proposals', 'list', '--colour']),
      badType: run(['cycle', '--type=hourly']),
      badAsOf: run(['cycle', '--type=daily', '--as-of', 'yesterday']),
      badLimit: run(['proposals', 'list', '--limit', '0']),
      rejectWithoutReason: run(['proposals', 'reject', 'perf-20240501-abc']),
      malformedId: run(['proposals', 'show', 'Not An Id']),
      badPort: run(['proposals', 'list'], { env: { PORT: 'abc' } }),
      unknownId: run(['proposals', 'show', 'nope-123']),
      unknownIdApproval: run(['proposals', 'approve', 'nope-123']),
      storeUnavailable: runBinary(['proposals', 'list'], { dataDir: brokenDataDir, cwd: dirs.cwd }),
    };
    const settled = await Promise.all(Object.entries(cases).map(async ([name, promise]) => [name, await promise] as const));
    for (const [name, result] of settled) runs[name] = result;
  }, 120_000);
  afterAll(() => dirs?.remove());

  const run = (name: string): Run => runs[name]!;

  it('prints its usage and exits 0 when asked for help', () => {
    expect(run('help').code).toBe(0);
    expect(run('help').stdout).toMatch(/Usage: improvement-loop/);
    expect(run('help').stdout).toMatch(/cycle/);
    expect(run('help').stdout).toMatch(/proposals/);
  });

  it('runs from another directory through a node_modules/.bin symlink', () => {
    expect(run('viaSymlink')).toMatchObject({ code: 0, stderr: '' });
    expect(run('viaSymlink').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 on an unknown command, naming it', () => {
    expect(run('unknownCommand').code).toBe(2);
    expect(run('unknownCommand').stderr).toMatch(/unknown command 'frobnicate'/);
    expect(run('unknownCommand').stdout).toBe('');
  });

  it('exits 2 on an unknown option', () => {
    expect(run('unknownOption').code).toBe(2);
    expect(run('unknownOption').stderr).toMatch(/unknown option '--colour'/);
  });

  it('exits 2 on a cycle type that does not exist, listing the ones that do', () => {
    expect(run('badType').code).toBe(2);
    expect(run('badType').stderr).toMatch(/'hourly' is invalid/);
    expect(run('badType').stderr).toMatch(/daily, weekly, monthly, full/);
  });

  it('exits 2 on an --as-of that is not an ISO time, saying what it expects', () => {
    expect(run('badAsOf').code).toBe(2);
    expect(run('badAsOf').stderr).toMatch(/--as-of/);
    expect(run('badAsOf').stderr).toMatch(/ISO 8601/);
  });

  it('exits 2 on a --limit out of range', () => {
    expect(run('badLimit').code).toBe(2);
    expect(run('badLimit').stderr).toMatch(/from 1 to 500/);
  });

  it('exits 2 on a rejection without a reason', () => {
    expect(run('rejectWithoutReason').code).toBe(2);
    expect(run('rejectWithoutReason').stderr).toMatch(/--reason/);
  });

  it('exits 2 on something that cannot be a proposal id', () => {
    expect(run('malformedId').code).toBe(2);
    expect(run('malformedId').stderr).toMatch(/"Not An Id" is not a proposal id/);
  });

  it('exits 2 on a wrong configuration value and names the variable', () => {
    expect(run('badPort').code).toBe(2);
    expect(run('badPort').stderr).toMatch(/PORT/);
    expect(run('badPort').stderr).toMatch(/"abc"/);
    expect(run('badPort').stdout).toBe('');
  });

  it('exits 1 with "No proposal with id" for an id the store does not know', () => {
    for (const name of ['unknownId', 'unknownIdApproval']) {
      expect(run(name).code).toBe(1);
      expect(run(name).stderr).toMatch(/No proposal with id "nope-123"/);
      expect(run(name).stdout).toBe('');
    }
  });

  it('exits 1 naming the file when the store cannot be opened', () => {
    expect(run('storeUnavailable').code).toBe(1);
    expect(run('storeUnavailable').stderr).toMatch(/store\.sqlite/);
    expect(run('storeUnavailable').stdout).toBe('');
  });
});
