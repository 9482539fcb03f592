/**
 * What the dashboard's list costs with 1,000, 10,000 and 20,000 proposals in the embedded store:
 * `GET /proposals` (the default view, pending first) and its last page, over real HTTP with a
 * signed-in session, beside a bare Express route that sends the same HTML (what HTTP, Express and
 * that body cost, nothing of ours), alternated request by request, by wall time and by CPU time (what
 * a loaded machine changes least; client and server share the process); and the listing alone (no HTTP)
 * for the default view, a page sorted by creation time, and a priority + text filter, which still
 * reads every proposal of its status and type (the store keeps no index for those).
 * Proposals are seeded in bulk through SQL (one transaction, the store's triggers keeping its list
 * rows and counts), because 20,000 fsynced creations take minutes on a loaded machine.
 * Run: node --import tsx bench/dashboard-list.ts   (BENCH_REQUESTS=100 for more samples, BENCH_SIZES=1000,5000 for others)
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import express from 'express';
import { listProposals, parseListView } from '../src/adapters/web/proposal-listing.ts';
import { PROPOSAL_TYPES, type Proposal } from '../src/domain/proposal.ts';
import { PlainClient, startDashboard, TOKEN } from '../test/adapters/web/dashboard-harness.ts';
import { makeDraft } from '../test/helpers/drafts.ts';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,20000').split(',').map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(op: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await op();
  return performance.now() - t0;
}

async function p50(op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await op();
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) times.push(await timed(op));
  return median(times);
}

/** CPU time this process has used, in ms: a figure machine load barely moves, unlike wall time. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function cpuOf(op: () => Promise<unknown>): Promise<number> {
  const c0 = cpuMs();
  await op();
  return cpuMs() - c0;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Alternates the two, request by request; wall-time medians and CPU-time means of both. */
async function against(ours: () => Promise<unknown>, bare: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await Promise.all([ours(), bare()]);
  const a: number[] = [];
  const b: number[] = [];
  const ca: number[] = [];
  const cb: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    a.push(await timed(ours));
    b.push(await timed(bare));
    ca.push(await cpuOf(ours));
    cb.push(await cpuOf(bare));
  }
  return { ours: median(a), bare: median(b), oursCpu: mean(ca), bareCpu: mean(cb) };
}

/** Copies of one filed proposal, inserted as the store writes them (doc without history, one history entry). */
function seed(file: string, template: Proposal, from: number, to: number): void {
  const db = new Database(file);
  const { history, ...doc } = template;
  const insertDoc = db.prepare(
    `INSERT INTO proposals (id, doc, status, type, fingerprint, created_at, updated_at, version, expires_at)
     VALUES (@id, @doc, @status, @type, @fingerprint, @created, @created, 1, NULL)`,
  );
  const insertHistory = db.prepare('INSERT INTO history (proposal_id, version, at, entry) VALUES (?, 1, ?, ?)');
  db.transaction(() => {
    for (let i = from; i < to; i++) {
      const created = Date.UTC(2026, 0, 1) + i * 60_000;
      const at = new Date(created).toISOString();
      // Every 10th stays pending, the rest are rejected, as a team that decides keeps them.
      const status = i % 10 === 3 ? 'pending' : 'rejected';
      const type = PROPOSAL_TYPES[i % PROPOSAL_TYPES.length]!;
      const priority = (['low', 'medium', 'high', 'critical'] as const)[i % 4];
      const id = `bench-${String(i).padStart(6, '0')}`;
      const row = { ...doc, id, status, type, priority, fingerprint: `bench:${i}`, createdAt: at, updatedAt: at, version: 1 };
      insertDoc.run({ id, doc: JSON.stringify(row), status, type, fingerprint: row.fingerprint, created });
      insertHistory.run(id, created, JSON.stringify({ ...history[0], at }));
    }
  })();
  db.close();
}

const dashboard = await startDashboard();
const client = new PlainClient(dashboard.url);
await client.signIn(TOKEN);
const headers = { cookie: client.cookie ?? '' };
const template = await dashboard.store.create(makeDraft({ title: 'Slow orders export', summary: 'p95 above 3 s' }), { actor: 'bench' });

// The bare route sends whatever body was put here last, as text/html.
let bareBody = '';
const bareApp = express();
bareApp.get('/bare', (_req, res) => {
  res.type('html').send(bareBody);
});
const bare = await new Promise<Server>((resolve) => {
  const s = bareApp.listen(0, '127.0.0.1', () => resolve(s));
});
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/bare`;
const page = async (route: string) => {
  // A keep-alive connection the server closed while the store was seeded fails once; ask again.
  const res = await fetch(dashboard.url + route, { headers }).catch(() => fetch(dashboard.url + route, { headers }));
  if (res.status !== 200) throw new Error(`${route} answered ${res.status}`);
  return res.text();
};
const getBare = async () => (await fetch(bareUrl)).text();

const rows: Record<string, string | number>[] = [];
try {
  let stored = 1;
  for (const size of SIZES) {
    seed(dashboard.file, template, stored, size);
    stored = size;
    const lastPage = `/proposals?page=${Math.ceil(size / 50)}`;
    for (const [label, route] of [
      ['GET /proposals (default view)', '/proposals'],
      ['GET /proposals, last page', lastPage],
    ] as const) {
      bareBody = await page(route);
      const {
        ours,
        bare: baseline,
        oursCpu,
        bareCpu,
      } = await against(
        () => page(route),
        () => getBare(),
      );
      rows.push({
        proposals: size,
        case: label,
        'p50 ms': ours.toFixed(2),
        'bare Express, same HTML': baseline.toFixed(2),
        '× bare': (ours / baseline).toFixed(2),
        'CPU ms': oursCpu.toFixed(2),
        'bare CPU ms': bareCpu.toFixed(2),
        '× bare (CPU)': (oursCpu / bareCpu).toFixed(2),
      });
    }
    const store = dashboard.store;
    for (const [label, query] of [
      ['listing alone: default view', {}],
      ['listing alone: by created, last page', { sort: 'created', page: '9999' }],
      ['listing alone: priority + text (reads all)', { priority: 'high', q: 'orders' }],
    ] as const) {
      rows.push({ proposals: size, case: label, 'p50 ms': (await p50(() => listProposals(store, parseListView(query)))).toFixed(2) });
    }
  }
  console.log(
    `node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}; p50 (wall) and mean (CPU) of ${REQUESTS} each, embedded store`,
  );
  console.table(rows);
} finally {
  bare.closeAllConnections();
  await new Promise((resolve) => bare.close(resolve));
  await dashboard.close();
}
