import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFileRepoLock } from '../../../src/adapters/executor/lock/file-repo-lock.ts';
import { createRedisRepoLock } from '../../../src/adapters/executor/lock/redis-repo-lock.ts';
import { acquireRepoLease, type RepoLock } from '../../../src/adapters/executor/lock/repo-lock.ts';
import { createRedisStore } from '../../../src/adapters/store/redis/redis-store.ts';
import { REDIS_TEST_URL, probeRedis, useTestRedis } from '../../helpers/redis.ts';
import { BREAKING_PATCH, GOOD_PATCH, createHarness, type Harness } from './harness.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lockContract(name: string, make: (ttlMs: number) => RepoLock | Promise<RepoLock>) {
  describe(name, () => {
    it('gives the lease to one holder at a time', async () => {
      const lock = await make(5000);
      const first = await lock.tryAcquire('repo');
      expect(first).not.toBeNull();
      expect(await lock.tryAcquire('repo')).toBeNull();
      await first!.release();
      const second = await lock.tryAcquire('repo');
      expect(second).not.toBeNull();
      await second!.release();
    });

    it('lets a lease expire unless it is renewed, and then refuses the old holder', async () => {
      const lock = await make(300);
      const stale = await lock.tryAcquire('expiring');
      await sleep(350);
      const fresh = await lock.tryAcquire('expiring');
      expect(fresh).not.toBeNull();
      expect(await stale!.renew()).toBe(false);
      await stale!.release(); // must not free the new holder's lease
      expect(await lock.tryAcquire('expiring')).toBeNull();
      expect(await fresh!.renew()).toBe(true);
      await fresh!.release();
    });

    it('waits for the lease when asked to', async () => {
      const lock = await make(5000);
      const held = await lock.tryAcquire('wait');
      setTimeout(() => void held!.release(), 200);
      const waited = await acquireRepoLease(lock, 'wait', { waitMs: 5000, pollMs: 20 });
      expect(waited).not.toBeNull();
      await waited!.release();
      expect(await acquireRepoLease(await make(5000), 'wait-free', { waitMs: 0 })).not.toBeNull();
    });
  });
}

let lockDir: string;
beforeAll(async () => {
  lockDir = await mkdtemp(path.join(tmpdir(), 'il-repo-lock-'));
});
afterAll(() => rm(lockDir, { recursive: true, force: true }));

let fileLocks = 0;
lockContract('the file repository lock', (ttlMs) => createFileRepoLock({ dir: path.join(lockDir, `l${++fileLocks}`), ttlMs }));

describe('the file repository lock and dead holders', () => {
  it('takes over at once from a holder whose process is gone', async () => {
    const dir = path.join(lockDir, 'dead');
    const gone = spawn(process.execPath, ['-e', '0']);
    const pid = gone.pid!;
    await new Promise((resolve) => gone.once('exit', resolve));
    const lock = createFileRepoLock({ dir, ttlMs: 60_000 });
    const held = await lock.tryAcquire('repo');
    await held!.release();
    await writeFile(path.join(dir, 'repo.lease'), JSON.stringify({ token: 'dead', pid, host: hostname(), expiresAt: Date.now() + 60_000 }));
    expect(await lock.tryAcquire('repo')).not.toBeNull();
  });
});

const redisUp = await probeRedis();
describe.runIf(redisUp)('with Redis', () => {
  const { keyPrefix, redis } = useTestRedis('executor-lock');
  lockContract('the Redis repository lock', (ttlMs) => createRedisRepoLock(redis, { keyPrefix, ttlMs }));

  describe('two executions on one repository', () => {
    let harness: Harness | undefined;
    const connections: Redis[] = [];
    afterEach(async () => {
      await harness?.cleanup();
      harness = undefined;
      for (const c of connections.splice(0)) c.disconnect();
    });

    it('are serialized by the lease, whatever replica runs them', async () => {
      const store = createRedisStore({ redis, keyPrefix: `${keyPrefix}store:` });
      // Each test run prints its start and end times (the sandbox lets it write nowhere shared); overlapping runs would interleave.
      harness = await createHarness({
        store,
        testCommand: 'echo "run-start $(date +%s%3N)"; sleep 0.7; echo "run-end $(date +%s%3N)"; node --test',
      });
      const replica = () => {
        const connection = new Redis(REDIS_TEST_URL);
        connections.push(connection);
        return harness!.makeExecutor({ lock: createRedisRepoLock(connection, { keyPrefix, ttlMs: 5000 }) });
      };
      const [a, b] = [await harness.approved(GOOD_PATCH), await harness.approved(BREAKING_PATCH.replace('a - b', 'b + a'))];
      const [doneA, doneB] = await Promise.all([
        replica().execute(a, { actor: 'grace', idempotencyKey: 'a' }),
        replica().execute(b, { actor: 'grace', idempotencyKey: 'b' }),
      ]);

      expect([doneA.status, doneB.status]).toEqual(['implemented', 'implemented']);
      const span = (tail: string | undefined) =>
        [Number(/run-start (\d+)/.exec(tail ?? '')?.[1]), Number(/run-end (\d+)/.exec(tail ?? '')?.[1])] as const;
      const [first, second] = [span(doneA.execution?.outputTail), span(doneB.execution?.outputTail)].sort((x, y) => x[0] - y[0]);
      expect(first![1]).toBeGreaterThan(first![0]);
      expect(second![0], 'the second run started after the first ended').toBeGreaterThanOrEqual(first![1]);
      await store.close();
    });
  });
});
