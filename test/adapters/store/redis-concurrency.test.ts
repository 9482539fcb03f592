/**
 * docs/RELIABILITY.md tests 1 and 2, and Redis dropped and restored: what the store does when many
 * writers race, when a reply is lost, and when Redis goes away in the middle of a run.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createFailFastRedis, createPatientRedis, whenReady } from '../../../src/adapters/store/redis/client.ts';
import { createRedisKeys } from '../../../src/adapters/store/redis/keys.ts';
import { createRedisStore } from '../../../src/adapters/store/redis/redis-store.ts';
import { ConflictError, StoreUnavailable } from '../../../src/domain/errors.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import {
  deleteKeysWithPrefix,
  probeRedis,
  randomKeyPrefix,
  REDIS_TEST_URL,
  startRedisServer,
  type TestRedisServer,
} from '../../helpers/redis.ts';

const redisUp = await probeRedis();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Everything a test opened, closed after it whatever its outcome. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function own<T extends Redis>(redis: T): T {
  cleanups.push(async () => redis.disconnect());
  return redis;
}

async function ownServer(options?: Parameters<typeof startRedisServer>[0]): Promise<TestRedisServer> {
  const server = await startRedisServer(options);
  cleanups.push(() => server.destroy());
  return server;
}

/**
 * The test hook of docs/RELIABILITY.md test 2: the real write script, made to spin for `ms` before it
 * starts, so a socket can be destroyed while Redis is inside it. Installed on the client before
 * the store registers its scripts; production code carries no hook.
 */
function slowDownWriteScript(redis: Redis, ms: number): void {
  const spin = `do local t = redis.call('TIME'); local start = t[1] * 1000000 + t[2]
  repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - start >= ${ms * 1000} end\n`;
  const define = redis.defineCommand.bind(redis);
  redis.defineCommand = (name, definition) =>
    define(name, name === 'improvementWrite' ? { ...definition, lua: spin + definition.lua } : definition);
}

/**
 * Destroys the client's socket 150 ms into the first send of the script call whose arguments
 * include `marker`, while Redis is inside the slowed-down script; counts that call's sends.
 */
function loseFirstReply(redis: Redis, marker: (arg: string) => boolean): { sends: () => number } {
  let sends = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: { name: string; args: unknown[] }, stream?: unknown) => {
    const ours = ['evalsha', 'eval'].includes(command.name) && command.args.some((a) => marker(String(a)));
    if (ours && ++sends === 1) setTimeout(() => redis.stream.destroy(), 150);
    return send(command as never, stream as never);
  }) as typeof redis.sendCommand;
  return { sends: () => sends };
}

function within5s<T>(work: Promise<T>): Promise<T> {
  return Promise.race([work, sleep(5000).then(() => Promise.reject(new Error('the call did not settle within 5 s')))]);
}

describe.skipIf(!redisUp)('redis store under concurrency and faults', () => {
  it('applies exactly one of 200 conflicting clicks sent at once from 200 connections, and answers the replay as a duplicate', async () => {
    const keyPrefix = randomKeyPrefix('race');
    cleanups.push(() => deleteKeysWithPrefix(keyPrefix));
    const keys = createRedisKeys(keyPrefix);
    const admin = own(new Redis(REDIS_TEST_URL));
    const first = createRedisStore({ redis: admin, keyPrefix });
    const p = await first.create(makeDraft(), { actor: 'cycle' });
    const clients = Array.from({ length: 200 }, () => own(new Redis(REDIS_TEST_URL)));
    await Promise.all(clients.map((c) => c.ping())); // every connection is up before the race starts
    const stores = clients.map((redis) => createRedisStore({ redis, keyPrefix }));
    const requests = stores.map((_, i) => ({
      id: p.id,
      to: i % 2 ? ('approved' as const) : ('rejected' as const),
      expectedStatus: 'pending' as const,
      actor: `user${i}`,
      idempotencyKey: `click-${i}`,
    }));

    const started = performance.now();
    const results = await Promise.allSettled(stores.map((store, i) => store.transition(requests[i]!)));
    const elapsedMs = performance.now() - started;

    const applied = results.flatMap((r, i) => (r.status === 'fulfilled' && r.value.outcome === 'applied' ? [i] : []));
    const conflicts = results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError);
    expect(applied).toHaveLength(1);
    expect(conflicts).toHaveLength(199);
    expect(elapsedMs).toBeLessThan(3000);
    const winner = applied[0]!;
    const stored = await first.get(p.id);
    expect(stored).toMatchObject({ status: requests[winner]!.to, version: 2 });
    expect(await admin.xlen(keys.history(p.id))).toBe(2);
    const counters = await first.counters();
    expect((counters['decided:approved'] ?? 0) + (counters['decided:rejected'] ?? 0)).toBe(1);

    const replay = await stores[winner]!.transition(requests[winner]!);
    expect(replay.outcome).toBe('duplicate');
    expect(replay.proposal).toEqual(stored);
    expect(await admin.xlen(keys.history(p.id))).toBe(2);
  }, 30_000);

  it('applies a transition once when the socket dies mid-script, and the re-sent call returns the first result within 5 s', async () => {
    const server = await ownServer();
    const keyPrefix = randomKeyPrefix('lost-reply');
    const keys = createRedisKeys(keyPrefix);
    // Default ioredis options on purpose: they are what re-sends a command whose reply was lost.
    const redis = own(new Redis(server.url));
    slowDownWriteScript(redis, 600);
    const store = createRedisStore({ redis, keyPrefix });
    const p = await store.create(makeDraft(), { actor: 'cycle' });
    const request = { id: p.id, to: 'approved' as const, actor: 'alice', idempotencyKey: 'slack-action-1:U1' };

    const lost = loseFirstReply(redis, (arg) => arg === keys.idempotency(request.idempotencyKey));

    const result = await within5s(store.transition(request));

    expect(lost.sends()).toBe(2); // the reply was lost and ioredis sent the script again
    expect(result.outcome).toBe('applied'); // the first result, not a duplicate or a conflict
    expect(result.proposal).toMatchObject({ status: 'approved', version: 2 });
    const check = own(new Redis(server.url));
    expect(await check.xlen(keys.history(p.id))).toBe(2);
    expect(await store.get(p.id)).toEqual(result.proposal);
    expect(JSON.parse((await check.get(keys.idempotency(request.idempotencyKey)))!)).toMatchObject({ version: 2, proposalId: p.id });
    // The caller's own retry of the same request (after a timeout, say) is a duplicate, never a second move.
    expect((await store.transition(request)).outcome).toBe('duplicate');
    expect(await check.xlen(keys.history(p.id))).toBe(2);
  }, 20_000);

  it('applies a refresh once when its reply is lost, and reports it applied rather than stale', async () => {
    const server = await ownServer();
    const keyPrefix = randomKeyPrefix('lost-refresh');
    const keys = createRedisKeys(keyPrefix);
    const redis = own(new Redis(server.url));
    slowDownWriteScript(redis, 600);
    const store = createRedisStore({ redis, keyPrefix });
    const p = await store.create(makeDraft(), { actor: 'cycle' });
    const lost = loseFirstReply(redis, (arg) => arg.startsWith(keys.idempotency('refresh:')));

    const refreshed = await within5s(
      store.refresh({ id: p.id, actor: 'cycle:daily', expectedVersion: 1, refresh: { priority: 'critical' } }),
    );

    expect(lost.sends()).toBe(2);
    expect(refreshed).toMatchObject({ version: 2, priority: 'critical' });
    expect(await store.get(p.id)).toEqual(refreshed);
  }, 20_000);

  it('loses and duplicates no acknowledged proposal while connections are killed and Redis restarts, and the fail-fast client recovers by itself', async () => {
    const server = await ownServer({ appendonly: true });
    const keyPrefix = randomKeyPrefix('outage');
    const jobs = createRedisStore({ redis: own(createPatientRedis(server.url)), keyPrefix });
    const requestTimeoutMs = 300;
    const failFast = own(createFailFastRedis(server.url, { requestTimeoutMs }));
    await whenReady(failFast, 5000);
    const handlers = createRedisStore({ redis: failFast, keyPrefix });

    const acked = new Map<string, string>(); // fingerprint → id, only for creations whose promise resolved
    const attempted = new Set<string>();
    const failures: unknown[] = [];
    let running = true;
    async function writer(): Promise<void> {
      for (let i = 0; running && i < 2000; i++) {
        const draft = makeDraft();
        attempted.add(draft.fingerprint);
        try {
          acked.set(draft.fingerprint, (await jobs.create(draft, { actor: 'cycle' })).id);
        } catch (error) {
          failures.push(error);
        }
      }
    }
    async function killClients(): Promise<void> {
      const admin = new Redis(server.url, { retryStrategy: () => null });
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      admin.disconnect();
    }

    const writers = Array.from({ length: 4 }, writer);
    await sleep(300);
    await killClients();
    await sleep(300);
    await killClients();
    await sleep(300);
    await server.stop();

    // Redis is down: a handler hears StoreUnavailable within its timeout, not after ioredis's retries.
    for (const call of [() => handlers.ping(), () => handlers.get('any-1'), () => handlers.list({ limit: 50, offset: 0 })]) {
      const started = performance.now();
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailable);
      expect(performance.now() - started).toBeLessThan(requestTimeoutMs + 200);
    }
    await sleep(700);
    await server.restart();
    await sleep(300);
    await killClients();
    await sleep(500);
    running = false;
    await Promise.all(writers);

    // The same fail-fast client answers again once Redis is back.
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      recovered = await handlers.ping().then(
        () => true,
        () => false,
      );
      if (!recovered) await sleep(100);
    }
    expect(recovered).toBe(true);

    expect(acked.size).toBeGreaterThan(50);
    expect(failures.every((e) => e instanceof StoreUnavailable)).toBe(true);
    const check = createRedisStore({ redis: own(new Redis(server.url)), keyPrefix });
    const keys = createRedisKeys(keyPrefix);
    const raw = own(new Redis(server.url));
    for (const [fingerprint, id] of acked) {
      const stored = await check.get(id);
      expect(stored?.fingerprint).toBe(fingerprint);
      expect(await raw.xlen(keys.history(id))).toBe(1);
    }
    const stored: { id: string; fingerprint: string }[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await check.list({ limit: 500, offset });
      stored.push(...page.items);
      if (page.items.length < 500) break;
    }
    const fingerprints = stored.map((p) => p.fingerprint);
    expect(new Set(fingerprints).size).toBe(stored.length); // none duplicated
    expect(fingerprints.every((f) => attempted.has(f))).toBe(true);
    const counters = await check.counters();
    expect(counters['proposed']).toBe(stored.length); // a re-sent script never counted twice
    expect(JSON.parse((await raw.get(keys.summary))!)).toMatchObject({ total: stored.length });
  }, 60_000);
});
