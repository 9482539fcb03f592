/**
 * What one page of the dashboard's list costs now that it is cut from every stored proposal (the
 * store port lists newest first only, so order and page are applied in the web adapter), with
 * 1,000, 5,000 and 20,000 proposals in the embedded store. Baselines measured in the same run:
 * one store page of 50 (what a paging store would do) and one store page of 500 (what the list
 * read before, when it stopped at the newest 500). Every open list tab asks once per refresh
 * interval (5 s by default).
 * Run: node --import tsx bench/dashboard-list.ts   (BENCH_REQUESTS=100 for more samples)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEmbeddedStore } from '../src/adapters/store/embedded/embedded-store.ts';
import { listProposals, parseListView } from '../src/adapters/web/proposal-listing.ts';
import type { ProposalStore } from '../src/ports/store.ts';
import { makeDraft } from '../test/helpers/drafts.ts';

const SIZES = [1_000, 5_000, 20_000];
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 30);

async function p50(op: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 3; i++) await op();
  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    await op();
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  return latencies[Math.floor(latencies.length / 2)]!.toFixed(2);
}

/** Grows the store to `size`; every 10th stays pending, the rest are rejected. */
async function growTo(store: ProposalStore, from: number, size: number): Promise<void> {
  for (let i = from; i < size; i++) {
    const p = await store.create(makeDraft({ priority: (['low', 'medium', 'high', 'critical'] as const)[i % 4] }), { actor: 'bench' });
    if (i % 10 !== 3) await store.transition({ id: p.id, to: 'rejected', actor: 'bench', reason: 'bench', idempotencyKey: `r-${p.id}` });
  }
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-dashboard-list-'));
const store = createEmbeddedStore({ file: path.join(dir, 'store.db') });
const rows: Record<string, string | number>[] = [];
try {
  let stored = 0;
  for (const size of SIZES) {
    await growTo(store, stored, size);
    stored = size;
    rows.push({
      proposals: size,
      'baseline: store page of 50 (ms)': await p50(() => store.list({ limit: 50, offset: 0 })),
      'baseline: store page of 500 (ms)': await p50(() => store.list({ limit: 500, offset: 0 })),
      'list page 1, pending first (ms)': await p50(() => listProposals(store, parseListView({}))),
      'list last page, by created (ms)': await p50(() => listProposals(store, parseListView({ sort: 'created', page: '9999' }))),
      'list, priority=high + text (ms)': await p50(() => listProposals(store, parseListView({ priority: 'high', q: 'orders' }))),
    });
  }
  console.table(rows);
  console.log(`p50 of ${REQUESTS} reads each, embedded store (SQLite), one process`);
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
