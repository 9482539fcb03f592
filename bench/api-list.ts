/**
 * Latency of `GET /api/improvements/proposals` (pages of 50, with and without a status filter) over
 * real HTTP with 10,000 proposals stored, in the embedded store and, when Redis answers at
 * 127.0.0.1:6379, in Redis under a random key prefix that is deleted afterwards.
 * Baselines measured in the same run: `GET /healthz` (HTTP and Express alone, no store) and the same
 * page read from the store directly (the store alone, no HTTP).
 * Run: npx tsx bench/api-list.ts   (BENCH_REQUESTS=1000 for more samples)
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createHttpApp } from '../src/adapters/http/http-app.ts';
import { createEmbeddedStore } from '../src/adapters/store/embedded/embedded-store.ts';
import type { ProposalType } from '../src/domain/proposal.ts';
import type { ListQuery, ProposalStore } from '../src/ports/store.ts';
import { createDecisions } from '../src/proposals/decisions.ts';
import { makeDraft } from '../test/helpers/drafts.ts';

const PROPOSALS = 10_000;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const WARMUP = 50;
const TOKEN = 'bench-token';
const TYPES: ProposalType[] = ['performance', 'bug_fix', 'feature', 'code_quality', 'learning'];
const logger = pino({ level: 'silent' });

interface Row {
  store: string;
  case: string;
  requests: number;
  'p50 ms': string;
  'p99 ms': string;
  'items/page': number;
}

function quantiles(latencies: number[]): { p50: string; p99: string } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!.toFixed(3);
  return { p50: at(0.5), p99: at(0.99) };
}

async function measure(storeName: string, name: string, op: () => Promise<number>): Promise<Row> {
  let items = 0;
  for (let i = 0; i < WARMUP; i++) items = await op();
  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    items = await op();
    latencies.push(performance.now() - t0);
  }
  const { p50, p99 } = quantiles(latencies);
  return { store: storeName, case: name, requests: REQUESTS, 'p50 ms': p50, 'p99 ms': p99, 'items/page': items };
}

/** 10,000 proposals across types; every 4th rejected, every 10th approved, so filters select real subsets. */
async function seed(store: ProposalStore): Promise<void> {
  const batch = 50;
  for (let start = 0; start < PROPOSALS; start += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, PROPOSALS - start) }, async (_, j) => {
        const i = start + j;
        const p = await store.create(makeDraft({ type: TYPES[i % TYPES.length]! }), { actor: 'bench' });
        if (i % 4 === 0) await store.transition({ id: p.id, to: 'rejected', actor: 'bench', reason: 'bench', idempotencyKey: `r-${p.id}` });
        else if (i % 10 === 1) await store.transition({ id: p.id, to: 'approved', actor: 'bench', idempotencyKey: `a-${p.id}` });
      }),
    );
  }
}

async function benchStore(storeName: string, store: ProposalStore): Promise<Row[]> {
  const seedStarted = performance.now();
  await seed(store);
  console.error(`${storeName}: seeded ${PROPOSALS} proposals in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
  const app = createHttpApp({
    store,
    decisions: createDecisions({ store, logger }),
    apiTokens: [TOKEN],
    logger,
    runCycle: async () => {
      throw new Error('not used by this benchmark');
    },
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (route: string): Promise<number> => {
    const res = await fetch(`${base}${route}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (res.status !== 200) throw new Error(`${route} answered ${res.status}`);
    const body = (await res.json()) as { proposals?: unknown[] };
    return body.proposals?.length ?? 0;
  };
  const direct = async (query: Omit<ListQuery, 'limit' | 'offset'>) => (await store.list({ ...query, limit: 50, offset: 0 })).items.length;
  try {
    return [
      await measure(storeName, 'baseline: GET /healthz (HTTP only)', () => get('/healthz')),
      await measure(storeName, 'baseline: store.list page of 50 (no HTTP)', () => direct({})),
      await measure(storeName, 'GET /proposals?limit=50', () => get('/api/improvements/proposals?limit=50')),
      await measure(storeName, 'baseline: store.list status=rejected (no HTTP)', () => direct({ status: 'rejected' })),
      await measure(storeName, 'GET /proposals?status=rejected&limit=50', () =>
        get('/api/improvements/proposals?status=rejected&limit=50'),
      ),
      await measure(storeName, 'GET /proposals?status=approved&type=bug_fix', () =>
        get('/api/improvements/proposals?status=approved&type=bug_fix&limit=50'),
      ),
      await measure(storeName, 'GET /proposals?limit=50&offset=9000', () => get('/api/improvements/proposals?limit=50&offset=9000')),
    ];
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function embedded(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-api-list-'));
  const store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
  try {
    return await benchStore('embedded', store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Redis rows when the Redis store exists and a server answers; otherwise one line saying why not. */
async function redis(): Promise<Row[]> {
  const storeModule = fileURLToPath(new URL('../src/adapters/store/redis/redis-store.ts', import.meta.url));
  if (!existsSync(storeModule)) {
    console.error('redis: skipped (src/adapters/store/redis/redis-store.ts does not exist)');
    return [];
  }
  const url = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
  const { createRedisStore } = await import('../src/adapters/store/redis/redis-store.ts');
  const { createFailFastRedis } = await import('../src/adapters/store/redis/client.ts');
  const { deleteKeysWithPrefix, randomKeyPrefix } = await import('../test/helpers/redis.ts');
  const { Redis } = await import('ioredis');
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    console.error(`redis: skipped (no answer at ${url}: ${error instanceof Error ? error.message : String(error)})`);
    return [];
  } finally {
    probe.disconnect();
  }
  const keyPrefix = randomKeyPrefix('bench-api-list');
  // The fail-fast client is what request handlers use in production (see src/app.ts). It has no
  // offline queue, so it must be connected before the first command.
  const client = createFailFastRedis(url, { requestTimeoutMs: 2000 });
  await new Promise((resolve) => client.once('ready', resolve));
  const store = createRedisStore({ redis: client, keyPrefix, ownsConnection: true });
  try {
    return await benchStore('redis', store);
  } finally {
    await store.close();
    const deleted = await deleteKeysWithPrefix(keyPrefix, url);
    console.error(`redis: deleted ${deleted} keys under ${keyPrefix}`);
  }
}

async function main(): Promise<void> {
  console.error(`node ${process.version}, ${os.cpus().length} CPUs, ${REQUESTS} sequential requests per case after ${WARMUP} warm-up`);
  console.table(await embedded());
  const redisRows = await redis();
  if (redisRows.length) console.table(redisRows);
}

await main();
