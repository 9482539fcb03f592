import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisRepoLock } from '../../../src/adapters/executor/lock/redis-repo-lock.ts';
import { createRedisStore } from '../../../src/adapters/store/redis/redis-store.ts';
import { REDIS_TEST_URL, probeRedis, useTestRedis } from '../../helpers/redis.ts';
import { reapChildExecutors, spawnChildExecutor } from './child-executor.ts';
import { GOOD_PATCH, createHarness, dirtyUserTree, repositoryLeftClean, snapshotUserTree, type Harness } from './harness.ts';

/** docs/RELIABILITY.md test 8: kill -9 of the executor mid-execution, then a restart. */

let harness: Harness | undefined;
afterEach(async () => {
  await reapChildExecutors();
  await harness?.cleanup();
  harness = undefined;
});

const SLEEP_MARKER = `sleep 30.${process.pid}`;

const KILL_POINTS: Array<[string, string[] | null, string]> = [
  ['right after the worktree was added', ['apply', '--check'], 'node --test'],
  ['between git apply --check and git apply', ['apply', '--index'], 'node --test'],
  ['during the test run', null, SLEEP_MARKER],
  ['after the commit, before the push', ['push'], 'node --test'],
];

async function setUp() {
  harness = await createHarness();
  const remote = path.join(harness.dirs.work, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', remote]);
  await dirtyUserTree(harness.repo);
  const proposal = await harness.approved(GOOD_PATCH);
  const child = (pauseBefore: string[] | null, testCommand: string, extra: Record<string, unknown> = {}) =>
    spawnChildExecutor({
      repoPath: harness!.repo.dir,
      worktreeDir: harness!.dirs.worktrees,
      lockDir: harness!.dirs.locks,
      storeFile: harness!.dirs.store,
      proposalId: proposal.id,
      testCommand,
      remote,
      ...(pauseBefore ? { pauseBefore } : {}),
      ...extra,
    });
  const restarted = harness.makeExecutor({ execution: { ...harness.deps.execution, remote } });
  return { harness, remote, proposal, child, restarted };
}

describe('an executor killed with -9', () => {
  it.each(KILL_POINTS)('%s is recovered at restart, with the user tree untouched', async (_point, pauseBefore, testCommand) => {
    const { harness, remote, proposal, child, restarted } = await setUp();
    const before = await snapshotUserTree(harness.repo);

    const running = child(pauseBefore, testCommand);
    if (pauseBefore) await running.waitFor((event) => event.paused !== undefined, 20_000);
    else {
      await running.waitFor((event) => event.stage === 'tests', 20_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await running.kill9();
    expect((await harness.store.get(proposal.id))?.status).toBe('executing');

    await expect(restarted.recoverInterrupted()).resolves.toEqual({ recovered: [proposal.id] });

    const after = await harness.store.get(proposal.id);
    expect(after?.status).toBe('failed');
    expect(after?.execution?.error).toBe('interrupted');
    expect(after?.history.at(-1)?.reason).toMatch(/^interrupted/);
    expect(await repositoryLeftClean(harness.repo)).toEqual({
      worktrees: [`worktree ${harness.repo.dir}`],
      improvementBranches: '',
      locks: [],
    });
    expect(execFileSync('git', ['for-each-ref', 'refs/heads/'], { cwd: remote, encoding: 'utf8' })).toBe('');
    expect(await snapshotUserTree(harness.repo)).toEqual(before);
    expect(pgrep(SLEEP_MARKER), 'the test run died with its executor').toEqual([]);
  });

  // Issue 14 E: setpriv --reuid inside the namespace cleared the parent-death signal, and the run lived on as nobody.
  it.runIf(process.getuid?.() === 0)(
    'leaves no process behind when the tests run as nobody and one of them started its own session',
    async () => {
      const { harness, child } = await setUp();
      const escapee = `sleep 31.${process.pid}`;
      const running = child(null, `setsid sh -c '${escapee}' & ${SLEEP_MARKER}`, { sandboxUser: { uid: 65534, gid: 65534 } });
      await running.waitFor((event) => event.stage === 'tests', 20_000);
      for (let i = 0; i < 40 && pgrep(escapee).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(pgrep(escapee), 'the detached descendant was running').not.toEqual([]);
      await running.kill9();
      for (let i = 0; i < 40 && pgrep(escapee).length + pgrep(SLEEP_MARKER).length > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect([...pgrep(SLEEP_MARKER), ...pgrep(escapee)], 'every process of the run died with its executor').toEqual([]);
    },
  );

  it('leaves a live execution alone, and recovers it once its process is dead', async () => {
    const { harness, proposal, child, restarted } = await setUp();
    const running = child(['apply', '--index'], 'node --test');
    await running.waitFor((event) => event.paused !== undefined, 20_000);

    await expect(restarted.recoverInterrupted()).resolves.toEqual({ recovered: [] });
    expect((await harness.store.get(proposal.id))?.status).toBe('executing');
    expect((await repositoryLeftClean(harness.repo)).worktrees).toHaveLength(2);

    await running.kill9();
    await expect(restarted.recoverInterrupted()).resolves.toEqual({ recovered: [proposal.id] });
  });

  it('is cleaned up by the next execution even when no restart ran recovery', async () => {
    const { harness, proposal, child, restarted } = await setUp();
    const running = child(null, SLEEP_MARKER);
    await running.waitFor((event) => event.stage === 'tests', 20_000);
    await running.kill9();

    const next = await restarted.execute(await harness.approved(GOOD_PATCH.replace('// Adds two numbers.', '// Sum.')), {
      actor: 'grace',
      idempotencyKey: 'next',
    });

    expect(next.status).toBe('implemented');
    expect((await harness.store.get(proposal.id))?.execution?.error).toBe('interrupted');
    expect((await repositoryLeftClean(harness.repo)).improvementBranches).toBe(`refs/heads/improvement/${next.id}`);
  });

  it('lets a proposal recovered as interrupted be approved and executed again', async () => {
    const { harness, proposal, child, restarted } = await setUp();
    const running = child(null, SLEEP_MARKER);
    await running.waitFor((event) => event.stage === 'tests', 20_000);
    await running.kill9();
    await restarted.recoverInterrupted();

    const again = await harness.store.transition({ id: proposal.id, to: 'approved', actor: 'grace', idempotencyKey: 'retry' });
    const done = await restarted.execute(again.proposal, { actor: 'grace', idempotencyKey: 'retry-exec' });
    expect(done.status).toBe('implemented');
  });
});

const redisUp = await probeRedis();
describe.runIf(redisUp)('an executor killed with -9, with the Redis store and lease', () => {
  const { keyPrefix, redis } = useTestRedis('executor-crash');

  it('is recovered once its lease has expired, and not before', async () => {
    harness = await createHarness({ store: createRedisStore({ redis, keyPrefix: `${keyPrefix}store:` }) });
    const before = await snapshotUserTree(harness.repo);
    const proposal = await harness.approved(GOOD_PATCH);
    const running = spawnChildExecutor({
      repoPath: harness.repo.dir,
      worktreeDir: harness.dirs.worktrees,
      lockDir: harness.dirs.locks,
      storeFile: '',
      proposalId: proposal.id,
      testCommand: SLEEP_MARKER,
      lockTtlMs: 1500,
      redis: { url: REDIS_TEST_URL, keyPrefix },
    });
    await running.waitFor((event) => event.stage === 'tests', 20_000);
    await running.kill9();
    const restarted = harness.makeExecutor({ lock: createRedisRepoLock(redis, { keyPrefix, ttlMs: 1500 }) });

    await expect(restarted.recoverInterrupted()).resolves.toEqual({ recovered: [] }); // the dead holder's lease still runs
    await expect(restarted.recoverInterrupted({ waitMs: 5000 })).resolves.toEqual({ recovered: [proposal.id] });

    expect((await harness.store.get(proposal.id))?.execution?.error).toBe('interrupted');
    expect(await repositoryLeftClean(harness.repo)).toEqual({
      worktrees: [`worktree ${harness.repo.dir}`],
      improvementBranches: '',
      locks: [],
    });
    expect(await snapshotUserTree(harness.repo)).toEqual(before);
  });
});

describe('an executor frozen past its lease (docs/RELIABILITY.md test 7)', () => {
  it('is fenced: recovery takes over, and the frozen one neither records its result nor leaves a branch or a push', async () => {
    const { harness, remote, proposal, child, restarted } = await setUp();
    const frozen = child(['commit-tree'], 'node --test', { lockTtlMs: 600, pauseMs: 2500 });
    await frozen.waitFor((event) => event.paused !== undefined, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 900)); // its lease (600 ms) runs out while it is frozen

    await expect(restarted.recoverInterrupted()).resolves.toEqual({ recovered: [proposal.id] });
    const done = await frozen.waitFor((event) => event.done !== undefined, 20_000);

    expect(done.done).toBe('failed');
    const after = await harness.store.get(proposal.id);
    expect(after?.history.map((h) => h.action)).toEqual(['created', 'approved', 'execution_started', 'execution_failed']);
    expect(after?.execution?.error).toBe('interrupted');
    expect(await repositoryLeftClean(harness.repo)).toEqual({
      worktrees: [`worktree ${harness.repo.dir}`],
      improvementBranches: '',
      locks: [],
    });
    expect(execFileSync('git', ['for-each-ref', 'refs/heads/'], { cwd: remote, encoding: 'utf8' })).toBe('');
  });
});

function pgrep(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
