import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentBootId, processStartTime } from '../../../src/adapters/executor/sandbox/leftover-runs.ts';
import { createTestRunJournal } from '../../../src/adapters/executor/test-run-journal.ts';
import { reapChildExecutors, spawnChildExecutor } from './child-executor.ts';
import { GOOD_PATCH, createHarness, type Harness } from './harness.ts';

/**
 * Issue 14, item 2: without bubblewrap (TEST_ALLOW_UNSANDBOXED=true) nothing ties the test run's
 * life to the executor's, so a kill -9 of the service leaves it running; recovery kills it, and
 * never a process that merely inherited one of its pids.
 */

const LONG_TEST = `sleep 40.${process.pid}`;
const ESCAPEE = `sleep 41.${process.pid}`;
const STRANGER = `sleep 42.${process.pid}`;
const BACKGROUND = `sleep 43.${process.pid}`;

let harness: Harness | undefined;
let bin: string | undefined;
const strangers: number[] = [];
afterEach(async () => {
  await reapChildExecutors();
  for (const pid of [
    ...strangers.splice(0),
    ...(await processesRunning(LONG_TEST)),
    ...(await processesRunning(ESCAPEE)),
    ...(await processesRunning(BACKGROUND)),
  ]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await harness?.cleanup();
  harness = undefined;
  if (bin) await rm(path.dirname(bin), { recursive: true, force: true });
  bin = undefined;
});

/** A PATH holding every tool of /usr/bin and /usr/sbin except the ones that tie a run to its executor. */
async function pathWithoutIsolation(): Promise<string> {
  bin = path.join(await mkdtemp(path.join(tmpdir(), 'il-no-isolation-')), 'bin');
  await mkdir(bin);
  for (const dir of ['/usr/bin', '/usr/sbin']) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (['bwrap', 'unshare', 'setpriv'].includes(name)) continue;
      await symlink(path.join(dir, name), path.join(bin, name)).catch(() => undefined); // a name in both folders
    }
  }
  return bin;
}

/**
 * Live (not zombie) processes whose command line is exactly `text`, read from /proc. Exactly: the
 * child executor's own command line carries the test command (and so every `text`) in its JSON
 * settings, and it may still be exiting after its last event.
 */
async function processesRunning(text: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state !== 'Z' && cmdline.split('\0').filter(Boolean).join(' ') === text) found.push(Number(name));
  }
  return found;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (await check()) return true;
  }
  return check();
}

describe.runIf(process.platform === 'linux')('recovery after a kill -9 of an executor running tests unsandboxed', () => {
  it('kills the test run it left, including a descendant that started its own session', async () => {
    harness = await createHarness();
    const proposal = await harness.approved(GOOD_PATCH);
    const running = spawnChildExecutor({
      repoPath: harness.repo.dir,
      worktreeDir: harness.dirs.worktrees,
      lockDir: harness.dirs.locks,
      storeFile: harness.dirs.store,
      proposalId: proposal.id,
      testCommand: `setsid sh -c '${ESCAPEE}' & ${LONG_TEST}`,
      path: await pathWithoutIsolation(),
      allowUnsandboxed: true,
    });
    await running.waitFor((event) => event.stage === 'tests', 20_000);
    expect(await eventually(async () => (await processesRunning(ESCAPEE)).length > 0), 'the detached descendant started').toBe(true);
    await running.kill9();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Without a sandbox nothing else kills them: the gap this recovery step closes.
    expect(await processesRunning(LONG_TEST), 'the test outlived its executor').not.toEqual([]);
    expect(await processesRunning(ESCAPEE), 'so did its setsid descendant').not.toEqual([]);

    await expect(harness.makeExecutor().recoverInterrupted()).resolves.toEqual({ recovered: [proposal.id] });

    expect(
      await eventually(async () => (await processesRunning(LONG_TEST)).length + (await processesRunning(ESCAPEE)).length === 0),
      'no process of the run is left',
    ).toBe(true);
    expect(await createTestRunJournal(path.join(harness.makeExecutor().worktreeRoot, 'journal', 'test-runs')).list()).toEqual([]);
  });

  it('kills a descendant that started its own session when the run ends normally, too', async () => {
    harness = await createHarness();
    const proposal = await harness.approved(GOOD_PATCH);
    const running = spawnChildExecutor({
      repoPath: harness.repo.dir,
      worktreeDir: harness.dirs.worktrees,
      lockDir: harness.dirs.locks,
      storeFile: harness.dirs.store,
      proposalId: proposal.id,
      // Waits until the descendant runs, so the sweep at the end has something to find.
      testCommand: `setsid sh -c '${BACKGROUND}' & while ! pgrep -f '^${BACKGROUND}$' >/dev/null; do sleep 0.05; done; node --test`,
      path: await pathWithoutIsolation(),
      allowUnsandboxed: true,
    });
    await running.waitFor((event) => event.done !== undefined, 60_000);
    await running.exited;
    // A SIGKILLed process may take a moment to become a zombie on a loaded machine; left alone it would run 43 s.
    expect(await eventually(async () => (await processesRunning(BACKGROUND)).length === 0), 'the setsid descendant died with its run').toBe(
      true,
    );
  });

  it('never kills a process that now holds a recorded pid but started at another time', async () => {
    harness = await createHarness();
    const stranger = spawn('sh', ['-c', STRANGER], { detached: true, stdio: 'ignore' });
    const pid = stranger.pid!;
    strangers.push(pid);
    const startTime = processStartTime(pid)!;
    const runs = createTestRunJournal(path.join(harness.executor.worktreeRoot, 'journal', 'test-runs'));
    const record = (leaderStart: string) => ({
      marker: randomBytes(12).toString('hex'),
      startedAt: new Date().toISOString(),
      command: 'node --test',
      leader: { pgid: pid, startTime: leaderStart, bootId: currentBootId() },
    });

    await runs.write(record(String(Number(startTime) - 1)));
    await harness.executor.recoverInterrupted();
    expect(processStartTime(pid), 'the recycled pid was left alone').toBe(startTime);
    expect(await runs.list()).toEqual([]);

    // The same record with the true start time: the group is the run's, and it dies.
    await runs.write(record(startTime));
    const exited = new Promise((resolve) => stranger.once('exit', (_code, signal) => resolve(signal)));
    await harness.executor.recoverInterrupted();
    await expect(exited).resolves.toBe('SIGKILL');
  });
});
