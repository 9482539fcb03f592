/**
 * docs/RELIABILITY.md test 6: the same schedule on three replicas (separate processes) against one
 * Redis. Each run appends `exec <slot> <pid>` to a list; the list is the ground truth.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisSlotLock } from '../../src/adapters/schedule/redis-slot-lock.ts';
import { deleteKeysWithPrefix, probeRedis, randomKeyPrefix, REDIS_TEST_URL } from '../helpers/redis.ts';
import { reapFixtures, sleep, spawnFixture, type TestProcess } from './child-process.ts';

const redisUp = await probeRedis();
// Node + tsx take about a second to start here; slots begin after that.
const STARTUP_MS = 2500;

type Settings = { firstSlot: number; count: number; intervalMs: number; ttlMs: number; maxLatenessMs: number; runMs: number };

describe.skipIf(!redisUp)('a schedule on three replicas', () => {
  const prefixes: string[] = [];
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_TEST_URL);
  });
  afterEach(reapFixtures);
  afterAll(async () => {
    redis.disconnect();
    for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
  });

  function replica(keyPrefix: string, settings: Settings): TestProcess {
    return spawnFixture('replica.ts', {
      mode: 'slots',
      url: REDIS_TEST_URL,
      keyPrefix,
      job: 'every-slot',
      ...settings,
    });
  }

  async function execsBySlot(keyPrefix: string): Promise<Map<string, string[]>> {
    const bySlot = new Map<string, string[]>();
    for (const line of await redis.lrange(`${keyPrefix}exec`, 0, -1)) {
      const [, slot, pid] = line.split(' ');
      bySlot.set(slot!, [...(bySlot.get(slot!) ?? []), pid!]);
    }
    return bySlot;
  }

  const records = (p: TestProcess) => p.events.filter((e) => e.event === 'record');

  /**
   * Slots nobody ran because every replica reached them later than the lateness limit (a loaded
   * machine can do that): skipping is the rule working, running twice would be the fault.
   */
  function lateEverywhere(replicas: TestProcess[], ran: Map<string, string[]>): number {
    const outcomes = new Map<string, string[]>();
    for (const r of replicas.flatMap(records)) {
      const slot = new Date(String(r.slot)).toISOString();
      outcomes.set(slot, [...(outcomes.get(slot) ?? []), String(r.outcome)]);
    }
    return [...outcomes].filter(([slot, list]) => !ran.has(slot) && list.every((o) => o === 'skipped-late')).length;
  }

  it('runs each of 20 slots exactly once across three replicas', async () => {
    const keyPrefix = randomKeyPrefix('schedule-replicas');
    prefixes.push(keyPrefix);
    const settings = { firstSlot: Date.now() + STARTUP_MS, count: 20, intervalMs: 200, ttlMs: 2000, maxLatenessMs: 1000, runMs: 50 };
    const replicas = [replica(keyPrefix, settings), replica(keyPrefix, settings), replica(keyPrefix, settings)];
    await Promise.all(replicas.map((r) => r.waitFor((e) => e.event === 'done', 20_000)));

    const bySlot = await execsBySlot(keyPrefix);
    expect(bySlot.size + lateEverywhere(replicas, bySlot)).toBe(20);
    expect(Math.max(...[...bySlot.values()].map((pids) => pids.length))).toBe(1);
    const outcomes = replicas.flatMap(records).map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(bySlot.size);
    expect(outcomes).toHaveLength(60);
    expect(outcomes.every((o) => o === 'ran' || o === 'not-claimed' || o === 'skipped-late')).toBe(true);
    const winners = new Set([...bySlot.values()].flat());
    console.info(
      `3 replicas × 20 slots: ${bySlot.size} executed, 0 duplicates, ${outcomes.filter((o) => o === 'not-claimed').length} claims refused, ${lateEverywhere(replicas, bySlot)} late everywhere; slots won per replica: ${[...winners].map((pid) => [...bySlot.values()].flat().filter((p) => p === pid).length).join('/')}`,
    );
  }, 30_000);

  // Stalled for 3 s with a 2 s lateness limit: the replayed slots late by more than 2 s are skipped,
  // the less late ones are attempted and their claims fail.
  it.each([
    ['frozen with SIGSTOP', 'sigstop'],
    ['whose event loop is blocked', 'block'],
  ] as const)(
    'runs nothing twice when a replica %s for 3 s resumes and replays its missed slots',
    async (_label, how) => {
      const keyPrefix = randomKeyPrefix('schedule-stalled');
      prefixes.push(keyPrefix);
      const settings = { firstSlot: Date.now() + STARTUP_MS, count: 20, intervalMs: 250, ttlMs: 2000, maxLatenessMs: 2000, runMs: 20 };
      const stallAt = settings.firstSlot + 1000;
      const stalled = spawnFixture('replica.ts', {
        mode: 'slots',
        url: REDIS_TEST_URL,
        keyPrefix,
        job: 'every-slot',
        ...settings,
        ...(how === 'block' ? { blockAt: stallAt, blockForMs: 3000 } : {}),
      });
      const replicas = [stalled, replica(keyPrefix, settings), replica(keyPrefix, settings)];
      await sleep(Math.max(0, stallAt - Date.now()));
      if (how === 'sigstop') stalled.child.kill('SIGSTOP');
      const stalledAt = Date.now();
      await sleep(3000);
      if (how === 'sigstop') stalled.child.kill('SIGCONT');
      const resumedAt = Date.now();
      await Promise.all(replicas.map((r) => r.waitFor((e) => e.event === 'done', 20_000)));

      const bySlot = await execsBySlot(keyPrefix);
      expect(bySlot.size + lateEverywhere(replicas, bySlot)).toBe(20);
      expect(Math.max(...[...bySlot.values()].map((pids) => pids.length))).toBe(1);
      // The stalled replica's replay: every slot that fell while it was stalled, fired after it resumed.
      const replayed = records(stalled).filter((r) => {
        const slot = Date.parse(String(r.slot));
        return slot > stalledAt + 100 && slot < resumedAt - 100;
      });
      expect(replayed.length).toBeGreaterThanOrEqual(8);
      const starts = replayed.map((r) => Date.parse(String(r.startedAt)));
      expect(Math.min(...starts)).toBeGreaterThanOrEqual(resumedAt - 150);
      expect(replayed.filter((r) => r.outcome === 'ran')).toHaveLength(0);
      const refused = replayed.filter((r) => r.outcome === 'not-claimed').length;
      const skipped = replayed.filter((r) => r.outcome === 'skipped-late').length;
      expect(refused).toBeGreaterThan(0);
      expect(skipped).toBeGreaterThan(0);
      console.info(
        `replica ${how === 'sigstop' ? 'frozen (SIGSTOP)' : 'blocked (busy loop)'} 3 s: ${replayed.length} slots replayed within ${Math.max(...starts) - Math.min(...starts)} ms after it resumed, ` +
          `${refused} claims refused, ${skipped} skipped as late; ${bySlot.size}/20 slots executed, 0 duplicates`,
      );
    },
    30_000,
  );

  it('lets a killed holder’s lease expire within its TTL, runs the next slot, and never reruns the killed one', async () => {
    const keyPrefix = randomKeyPrefix('schedule-killed');
    prefixes.push(keyPrefix);
    const firstSlot = Date.now() + STARTUP_MS;
    const ttlMs = 1000;
    const holder = replica(keyPrefix, { firstSlot, count: 1, intervalMs: 1500, ttlMs, maxLatenessMs: 1000, runMs: 20_000 });
    const next = replica(keyPrefix, { firstSlot: firstSlot + 2500, count: 1, intervalMs: 1500, ttlMs, maxLatenessMs: 1000, runMs: 20 });
    const lockKey = `${keyPrefix}lock:every-slot:${new Date(firstSlot).toISOString()}`;
    // Bounded wait for the holder's run to begin.
    for (let i = 0; i < 100 && (await redis.llen(`${keyPrefix}exec`)) === 0; i++) await sleep(50);
    expect(await redis.lrange(`${keyPrefix}exec`, 0, -1)).toEqual([`exec ${new Date(firstSlot).toISOString()} ${holder.pid}`]);
    await sleep(700); // long enough for renewals to have happened
    holder.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await redis.pttl(lockKey)).toBeGreaterThan(0);
    for (let i = 0; i < 60 && (await redis.exists(lockKey)); i++) await sleep(25);
    const expiredAfter = Date.now() - killedAt;
    expect(expiredAfter).toBeLessThanOrEqual(ttlMs + 100);

    await next.waitFor((e) => e.event === 'done', 10_000);
    expect(records(next).map((r) => r.outcome)).toEqual(['ran']);
    expect(await redis.llen(`${keyPrefix}exec`)).toBe(2);
    // The killed run's slot stays claimed: a later claim (a restart's catch-up) does not run it again.
    const lock = createRedisSlotLock(redis, { keyPrefix });
    expect(await lock.claim('every-slot', new Date(firstSlot), ttlMs)).toBeNull();
    console.info(`killed holder's lease expired ${expiredAfter} ms after kill -9 (TTL ${ttlMs} ms)`);
  }, 30_000);
});
