/**
 * Throughput and latency of the Redis store against a real Redis, with a PING baseline measured
 * in the same run so the figures can be read on any machine.
 *
 *   npx tsx bench/store-transitions-redis.ts        (REDIS_URL to point elsewhere)
 *
 * Every key lives under a random prefix, deleted at the end. Never fails a build: it only prints.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRedisStore } from '../src/adapters/store/redis/redis-store.ts';
import type { ProposalDraft, ProposalStatus } from '../src/domain/proposal.ts';
import type { ListQuery, ProposalStore } from '../src/ports/store.ts';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `bench:${randomBytes(6).toString('hex')}:`;
/** A legal loop through the lifecycle (the retry path), walked a few times per proposal. */
const LOOP: ProposalStatus[] = ['approved', 'executing', 'failed'];
/**
 * Moves per proposal before a worker takes a fresh one. Reads return the whole history, so one
 * proposal moved thousands of times would measure XRANGE, not a realistic transition.
 */
const MOVES_PER_PROPOSAL = 9;
const LIST_PROPOSALS = 10_000;

interface Row {
  what: string;
  inFlight: number;
  ops: number;
  opsPerSec: number;
  p50: number;
  p99: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Runs `op` `total` times with `inFlight` calls outstanding; latency per call in ms. */
async function measure(what: string, inFlight: number, total: number, op: (worker: number, i: number) => Promise<unknown>): Promise<Row> {
  const latencies: number[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, worker) => {
      while (started < total) {
        const i = started++;
        const s = performance.now();
        await op(worker, i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { what, inFlight, ops: total, opsPerSec: total / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

let drafts = 0;
function draft(status = ''): ProposalDraft {
  drafts++;
  return {
    type: drafts % 3 ? 'performance' : 'bug_fix',
    title: `Cache GET /api/orders/:id (${drafts}) ${status}`,
    summary: 'p95 latency is 2840 ms against a 2000 ms threshold.',
    evidence: [
      { label: 'p95 latency', value: 2840, unit: 'ms' },
      { label: 'calls per day', value: 41200 },
    ],
    priority: 'high',
    risk: 'Stale reads for up to 60 s.',
    implementationPlan: 'Add a read-through cache in front of the order lookup.',
    rollbackPlan: 'Revert the commit; the cache is additive.',
    testPlan: 'Unit test for cache hit and miss; load test before and after.',
    fingerprint: `bench:${drafts}:${randomBytes(4).toString('hex')}`,
  };
}

async function transitions(store: ProposalStore, inFlight: number, total: number): Promise<Row> {
  const pool: string[] = [];
  const needed = Math.ceil(total / MOVES_PER_PROPOSAL) + inFlight;
  await measure('create (setup)', 32, needed, async () => pool.push((await store.create(draft(), { actor: 'bench' })).id));
  const current = pool.splice(0, inFlight);
  const step = new Array<number>(inFlight).fill(0);
  return measure('transition', inFlight, total, (worker) => {
    if (step[worker]! === MOVES_PER_PROPOSAL) {
      current[worker] = pool.pop()!;
      step[worker] = 0;
    }
    const id = current[worker]!;
    const n = step[worker]!;
    step[worker] = n + 1;
    return store.transition({ id, to: LOOP[n % LOOP.length]!, actor: 'bench', idempotencyKey: `${id}:${n}` });
  });
}

async function fillForList(store: ProposalStore): Promise<void> {
  // A quarter approved, so the status filter has a second, smaller index to read.
  await measure('fill', 64, LIST_PROPOSALS, async (_, i) => {
    const p = await store.create(draft(), { actor: 'bench' });
    if (i % 4 === 0) await store.transition({ id: p.id, to: 'approved', actor: 'bench', idempotencyKey: `fill:${p.id}` });
  });
}

async function deleteBenchKeys(redis: Redis): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    cursor = next;
    if (found.length) deleted += await redis.unlink(...found);
  } while (cursor !== '0');
  return deleted;
}

function print(rows: Row[]): void {
  const header = ['operation', 'in flight', 'ops', 'ops/s', 'p50 ms', 'p99 ms'];
  const cells = rows.map((r) => [r.what, String(r.inFlight), String(r.ops), r.opsPerSec.toFixed(0), r.p50.toFixed(3), r.p99.toFixed(3)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  const redis = new Redis(url);
  // One client for the whole process, as the app has: concurrency is ioredis pipelining on it.
  const store = createRedisStore({ redis, keyPrefix });
  const rows: Row[] = [];
  try {
    await redis.ping();
    const server = await redis.info('server');
    console.log(`Redis ${/redis_version:(\S+)/.exec(server)?.[1] ?? '?'}, Node ${process.version}, key prefix ${keyPrefix}\n`);
    for (const inFlight of [1, 32]) {
      rows.push(await measure('baseline: PING', inFlight, inFlight === 1 ? 5000 : 20_000, () => redis.ping()));
      rows.push(await transitions(store, inFlight, inFlight === 1 ? 3000 : 10_000));
    }
    await fillForList(store);
    const queries: [string, ListQuery][] = [
      ['list 50 of 10k, no filter', { limit: 50, offset: 0 }],
      ['list 50 of 10k, status=pending', { status: 'pending', limit: 50, offset: 0 }],
      ['list 50 at offset 5000', { limit: 50, offset: 5000 }],
    ];
    for (const [what, query] of queries) rows.push(await measure(what, 1, 500, () => store.list(query)));
    rows.push(await measure('baseline: PING', 1, 500, () => redis.ping()));
    print(rows);
  } finally {
    const deleted = await deleteBenchKeys(redis);
    console.log(`\ncleaned up ${deleted} keys`);
    redis.disconnect();
  }
}

await main();
