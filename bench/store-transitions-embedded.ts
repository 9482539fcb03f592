/**
 * Throughput and latency of the embedded store: transitions (one at a time, and 32 in flight through
 * the async API), and list pages with 10,000 proposals stored. The baseline is a bare one-row UPDATE
 * transaction on the same pragmas, measured in the same run, so the figures read against this disk.
 * Run: npx tsx bench/store-transitions-embedded.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createEmbeddedStore } from '../src/adapters/store/embedded/embedded-store.ts';
import type { ProposalStatus, ProposalType } from '../src/domain/proposal.ts';
import type { ProposalStore } from '../src/ports/store.ts';
import { makeDraft } from '../test/helpers/drafts.ts';

interface Row {
  case: string;
  ops: number;
  'ops/s': string;
  'p50 ms': string;
  'p99 ms': string;
}

function summarise(name: string, latencies: number[], elapsedMs: number): Row {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!.toFixed(3);
  return {
    case: name,
    ops: sorted.length,
    'ops/s': Math.round((sorted.length / elapsedMs) * 1000).toString(),
    'p50 ms': at(0.5),
    'p99 ms': at(0.99),
  };
}

/** Runs `op(i)` for i in [0, count) with `inFlight` callers at once; worker w takes the i with i % inFlight === w. */
async function measure(name: string, count: number, inFlight: number, op: (i: number) => Promise<unknown>): Promise<Row> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, worker) => {
      for (let i = worker; i < count; i += inFlight) {
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return summarise(name, latencies, performance.now() - started);
}

function rawUpdate(dir: string, synchronous: 'FULL' | 'NORMAL', count: number): Row {
  const db = new Database(path.join(dir, `baseline-${synchronous}.sqlite`));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL); INSERT INTO t VALUES (1, 0)');
  const bump = db.transaction(() => db.prepare('UPDATE t SET v = v + 1 WHERE id = 1').run());
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    bump.immediate();
    latencies.push(performance.now() - t0);
  }
  const row = summarise(`baseline: bare UPDATE transaction, synchronous=${synchronous}`, latencies, performance.now() - started);
  db.close();
  return row;
}

/** The retry loop approved → executing → failed → approved never ends, so one proposal can take any number of moves. */
const CYCLE: ProposalStatus[] = ['approved', 'executing', 'failed'];

async function transitions(store: ProposalStore, name: string, proposals: number, movesEach: number, inFlight: number): Promise<Row> {
  const ids: string[] = [];
  for (let i = 0; i < proposals; i++) ids.push((await store.create(makeDraft(), { actor: 'bench' })).id);
  // Move i goes to proposal i % proposals; with inFlight dividing proposals, each proposal has one caller, in order.
  return measure(name, proposals * movesEach, inFlight, (i) => {
    const id = ids[i % proposals]!;
    const step = Math.floor(i / proposals);
    return store.transition({ id, to: CYCLE[step % CYCLE.length]!, actor: 'bench', idempotencyKey: `${id}-${step}` });
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-embedded-'));
  const rows: Row[] = [];
  try {
    rows.push(rawUpdate(dir, 'FULL', 5000), rawUpdate(dir, 'NORMAL', 5000));
    const store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
    rows.push(await measure('create (sequential)', 2000, 1, () => store.create(makeDraft(), { actor: 'bench' })));
    rows.push(await transitions(store, 'transition (sequential)', 512, 10, 1));
    rows.push(await transitions(store, 'transition (32 in flight)', 512, 10, 32));

    const types: ProposalType[] = ['performance', 'bug_fix', 'feature', 'code_quality', 'learning'];
    const { total } = await store.list({ limit: 1, offset: 0 });
    for (let i = total; i < 10_000; i++) {
      const p = await store.create(
        makeDraft({ type: types[i % types.length]!, patch: i % 2 ? 'diff --git a/x b/x\n'.repeat(50) : undefined }),
        { actor: 'bench' },
      );
      if (i % 10 === 0) await store.transition({ id: p.id, to: 'rejected', actor: 'bench', idempotencyKey: `fill-${p.id}` });
    }
    const stored = (await store.list({ limit: 1, offset: 0 })).total;
    rows.push(await measure(`list page of 50, no filter (${stored} stored)`, 1000, 1, () => store.list({ limit: 50, offset: 0 })));
    rows.push(await measure('list page of 50, status=rejected', 1000, 1, () => store.list({ status: 'rejected', limit: 50, offset: 0 })));
    rows.push(
      await measure('list page of 50, status=pending type=feature', 1000, 1, () =>
        store.list({ status: 'pending', type: 'feature', limit: 50, offset: 0 }),
      ),
    );
    rows.push(await measure('list page of 50, no filter, offset 5000', 200, 1, () => store.list({ limit: 50, offset: 5000 })));
    await store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`embedded store on ${os.tmpdir()} (${os.cpus().length} cpus, Node ${process.version})`);
  console.table(rows);
}

await main();
