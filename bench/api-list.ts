/**
 * Latency of `GET /api/improvements/proposals` (pages of 50, with and without a status filter) over
 * real HTTP with 10,000 proposals stored, in the embedded store and, when Redis answers at
 * 127.0.0.1:6379, in Redis under a random key prefix that is deleted afterwards.
 * Baselines measured in the same run: a bare Express route that sends the very JSON the API route
 * answered (what HTTP, Express and serializing that body cost, with no auth, validation or store),
 * alternated request by request with each case, whose ratio is the figure (goal: 1.3× or less), by
 * wall time (p50) and by CPU time (mean; client and server share this process, so both include the
 * client's fetch and parse; CPU time is what a loaded machine changes least); `GET /healthz`;
 * and the same page read from the store directly (the store alone, no HTTP).
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
import express from 'express';
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
  '× bare'?: string;
  'CPU ms'?: string;
  '× bare (CPU)'?: string;
}

/** CPU time this process has used, in ms: a figure machine load barely moves, unlike wall time. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function quantile(latencies: number[], q: number): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

function row(storeName: string, name: string, latencies: number[], items: number): Row {
  const p50 = quantile(latencies, 0.5).toFixed(3);
  const p99 = quantile(latencies, 0.99).toFixed(3);
  return { store: storeName, case: name, requests: latencies.length, 'p50 ms': p50, 'p99 ms': p99, 'items/page': items };
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
  return row(storeName, name, latencies, items);
}

/**
 * The API route and a bare Express route sending the same body, alternated request by request so
 * that machine load falls on both alike: two rows, the API's with its ratio to the bare one.
 */
async function measureAgainstBare(
  storeName: string,
  name: string,
  api: () => Promise<number>,
  bare: () => Promise<number>,
): Promise<Row[]> {
  let items = 0;
  for (let i = 0; i < WARMUP; i++) {
    items = await api();
    await bare();
  }
  const apiTimes: number[] = [];
  const bareTimes: number[] = [];
  const apiCpu: number[] = [];
  const bareCpu: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    let t0 = performance.now();
    let c0 = cpuMs();
    items = await api();
    apiCpu.push(cpuMs() - c0);
    apiTimes.push(performance.now() - t0);
    t0 = performance.now();
    c0 = cpuMs();
    await bare();
    bareCpu.push(cpuMs() - c0);
    bareTimes.push(performance.now() - t0);
  }
  const ratio = (quantile(apiTimes, 0.5) / quantile(bareTimes, 0.5)).toFixed(2);
  const cpuRatio = (mean(apiCpu) / mean(bareCpu)).toFixed(2);
  return [
    { ...row(storeName, `  baseline: bare Express, same JSON`, bareTimes, items), 'CPU ms': mean(bareCpu).toFixed(3) },
    { ...row(storeName, name, apiTimes, items), '× bare': ratio, 'CPU ms': mean(apiCpu).toFixed(3), '× bare (CPU)': cpuRatio },
  ];
}

/** A bare Express app on its own port: `GET /bare/:n` sends body n with res.json, nothing else. */
async function startBare(bodies: unknown[]): Promise<{ base: string; server: Server }> {
  const app = express();
  app.get('/bare/:n', (req, res) => {
    res.json(bodies[Number(req.params.n)]);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
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
  const routes = [
    { name: 'GET /proposals?limit=50', route: '/api/improvements/proposals?limit=50' },
    { name: 'GET /proposals?status=rejected&limit=50', route: '/api/improvements/proposals?status=rejected&limit=50' },
    { name: 'GET /proposals?status=approved&type=bug_fix', route: '/api/improvements/proposals?status=approved&type=bug_fix&limit=50' },
    { name: 'GET /proposals?limit=50&offset=9000', route: '/api/improvements/proposals?limit=50&offset=9000' },
  ];
  // The bodies the bare route sends: what the API answered for each case (they do not change here).
  const bodies = await Promise.all(
    routes.map(async ({ route }) => (await fetch(`${base}${route}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()),
  );
  const bare = await startBare(bodies);
  const getBare = async (n: number): Promise<number> => {
    const res = await fetch(`${bare.base}/bare/${n}`);
    const body = (await res.json()) as { proposals?: unknown[] };
    return body.proposals?.length ?? 0;
  };
  try {
    const rows: Row[] = [
      await measure(storeName, 'baseline: GET /healthz (HTTP only)', () => get('/healthz')),
      await measure(storeName, 'baseline: store.list page of 50 (no HTTP)', () => direct({})),
      await measure(storeName, 'baseline: store.list status=rejected (no HTTP)', () => direct({ status: 'rejected' })),
    ];
    for (const [n, { name, route }] of routes.entries()) {
      rows.push(
        ...(await measureAgainstBare(
          storeName,
          name,
          () => get(route),
          () => getBare(n),
        )),
      );
    }
    return rows;
  } finally {
    for (const s of [server, bare.server]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
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
