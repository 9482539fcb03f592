import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryWarehouse } from '../../../src/ports/warehouse.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { createMemoryWarehouse, type ErrorLogRow, type MetricRow } from '../../helpers/memory-warehouse.ts';
import { PlainClient, startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (n: number, hour = 10) => new Date(Date.UTC(2026, 10, 20 - n, hour));

/** Thirty days of calls: /api/orders/:id slows down from day 10 on, /api/users stays flat. */
function telemetryRows(): { metrics: MetricRow[]; errors: ErrorLogRow[] } {
  const metrics: MetricRow[] = [];
  for (let d = 29; d >= 0; d--) {
    for (let i = 0; i < 20; i++) {
      metrics.push({ endpoint: 'GET /api/orders/:id', responseTimeMs: (d < 10 ? 2400 : 300) + i * 10, timestamp: daysAgo(d, i % 20) });
      metrics.push({ endpoint: 'GET /api/users', responseTimeMs: 120 + i, timestamp: daysAgo(d, i % 20) });
    }
  }
  const errors: ErrorLogRow[] = [];
  for (let d = 0; d < 5; d++) {
    for (let i = 0; i < 3 + d; i++)
      errors.push({ message: `Timeout after ${1000 + i} ms calling inventory`, endpoint: 'GET /api/orders/:id', timestamp: daysAgo(d) });
    errors.push({ message: `User ${d}7 not found`, endpoint: 'GET /api/users', timestamp: daysAgo(d) });
  }
  return { metrics, errors };
}

describe('the charts page', () => {
  let dash: DashboardHarness | undefined;
  afterEach(async () => {
    await dash?.close();
    dash = undefined;
  });

  async function signedIn(options: Parameters<typeof startDashboard>[0]): Promise<PlainClient> {
    dash = await startDashboard({ now: () => NOW, ...options });
    const client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
    return client;
  }

  it('draws the funnel, the weekly chart, gains and LLM cost from the store alone when no warehouse is connected', async () => {
    let storeNow = new Date(NOW.getTime() - 20 * DAY);
    const client = await signedIn({ storeNow: () => storeNow });
    const store = dash!.store;
    const usage = {
      model: 'claude-x',
      requests: 1,
      inputTokens: 1200,
      outputTokens: 340,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      costUsd: 0.0123,
    };
    const a = await store.create(makeDraft({ writerUsage: usage }), { actor: 'test' });
    await store.transition({ id: a.id, to: 'approved', actor: 'test', idempotencyKey: 'k1' });
    storeNow = new Date(NOW.getTime() - 2 * DAY);
    await store.create(makeDraft(), { actor: 'test' });
    await store.recordGain({
      proposalId: a.id,
      endpoint: 'GET /api/orders/:id',
      beforeMs: 2840,
      afterMs: 610,
      measuredAt: NOW.toISOString(),
    });

    const page = await client.get('/charts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('No telemetry warehouse is connected to the dashboard.');
    expect(page.text).toMatch(/<svg class="chart hbar-chart"/);
    expect(page.text).toMatch(/<title>proposed: 2<\/title>/);
    expect(page.text).toMatch(/<title>approved: 1<\/title>/);
    expect(page.text).toMatch(/<svg class="chart bar-chart"/);
    // Two weeks hold one proposal each: the one approved and the one still pending.
    expect(page.text).toMatch(/<td>\d\d-\d\d<\/td><td>0<\/td><td>1<\/td><td>0<\/td><td>0<\/td><td>0<\/td>/);
    expect(page.text).toMatch(/<td>\d\d-\d\d<\/td><td>0<\/td><td>0<\/td><td>1<\/td><td>0<\/td><td>0<\/td>/);
    expect(page.text).toContain('2,230 ms of p95 taken off');
    expect(page.text).toContain('<td>1,200</td><td>340</td><td>$0.0123</td>');
  });

  it('draws p95 trends of the busiest endpoints and marks a performance proposal where it was filed', async () => {
    const storeNow = new Date(NOW.getTime() - 8 * DAY);
    const warehouse = createMemoryWarehouse(telemetryRows());
    const client = await signedIn({ warehouse: async () => warehouse, storeNow: () => storeNow });
    const p = await dash!.store.create(makeDraft({ title: 'Cache the order lookup', subject: { endpoint: 'GET /api/orders/:id' } }), {
      actor: 'test',
    });

    const page = await client.get('/charts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>GET /api/orders/:id</strong>');
    expect(page.text).toContain('<strong>GET /api/users</strong>');
    const orders =
      /<figure class="endpoint-trend">\s*<figcaption><strong>GET \/api\/orders\/:id<\/strong>[\s\S]*?<\/figure>/.exec(page.text)?.[0] ?? '';
    const users =
      /<figure class="endpoint-trend">\s*<figcaption><strong>GET \/api\/users<\/strong>[\s\S]*?<\/figure>/.exec(page.text)?.[0] ?? '';
    expect(orders).toContain(`<a href="/proposals/${p.id}"><g class="marker">`);
    expect(orders).toContain('1 performance proposal');
    expect(users).not.toContain('class="marker"');
    // One point per day, with the slowdown visible in the points' titles.
    expect(orders.match(/<circle /g)).toHaveLength(30);
    expect(orders).toMatch(/GET \/api\/orders\/:id 11-20: 2,581 ms/);
    // Timeouts differing only in numbers are one group: 3+4+5+6+7 occurrences.
    expect(page.text).toMatch(/<code>Timeout after &lt;DUR&gt; calling inventory<\/code><\/td><td>25<\/td>/);
    expect(page.text).toMatch(/<code>User &lt;NUM&gt; not found<\/code><\/td><td>5<\/td>/);
  });

  it('renders the store charts with a note when the warehouse fails, and tries again on the next load', async () => {
    let fail = true;
    const warehouse = createMemoryWarehouse(telemetryRows());
    const client = await signedIn({
      warehouse: async () => {
        if (fail) throw new Error('bigquery: permission denied for project secret-project');
        return warehouse;
      },
    });
    const page = await client.get('/charts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Telemetry could not be read just now');
    expect(page.text).not.toContain('secret-project');
    expect(page.text).toMatch(/<svg class="chart hbar-chart"/);
    fail = false;
    expect((await client.get('/charts')).text).toContain('<strong>GET /api/users</strong>');
  });

  it('does not wait for a slow warehouse past its timeout, and shows the telemetry once it has arrived', async () => {
    const warehouse = createMemoryWarehouse(telemetryRows());
    let arrive: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    let reads = 0;
    const counting: TelemetryWarehouse = { ...warehouse, endpointStats: (w) => ((reads += 1), warehouse.endpointStats(w)) };
    const client = await signedIn({ warehouse: () => arrived.then(() => counting), telemetryTimeoutMs: 500 });
    const first = await client.get('/charts');
    expect(first.status).toBe(200);
    expect(first.text).toContain('Telemetry is still loading');
    arrive();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await client.get('/charts')).text).toContain('<strong>GET /api/users</strong>');
    await client.get('/charts');
    // The slow read was shared and then kept: three page loads, one warehouse read.
    expect(reads).toBe(1);
  });

  it('says first, as the cycle reports do, when the window holds no telemetry: rows, the newest row and what to do', async () => {
    // The same thirty days, ended two months before now.
    const old = telemetryRows();
    const shift = (t: Date) => new Date(t.getTime() - 60 * DAY);
    const rows = {
      metrics: old.metrics.map((m) => ({ ...m, timestamp: shift(m.timestamp) })),
      errors: old.errors.map((e) => ({ ...e, timestamp: shift(e.timestamp) })),
    };
    const memory = createMemoryWarehouse(rows);
    const newest = (items: { timestamp: Date }[]) => new Date(Math.max(...items.map((r) => r.timestamp.getTime())));
    const within = (items: { timestamp: Date }[], w: { from: Date; to: Date }) =>
      items.filter((r) => r.timestamp >= w.from && r.timestamp < w.to).length;
    const warehouse: TelemetryWarehouse = {
      ...memory,
      coverage: async (w) => [
        { table: 'performance.api_metrics', rowsInWindow: within(rows.metrics, w), newest: newest(rows.metrics) },
        { table: 'logs.error_logs', rowsInWindow: within(rows.errors, w), newest: newest(rows.errors) },
      ],
    };
    const client = await signedIn({ warehouse: async () => warehouse });
    const page = (await client.get('/charts')).text;
    expect(page).toContain('<h2>Read this first</h2>');
    expect(page).toMatch(
      /No telemetry in the window [^<]*0 rows in performance\.api_metrics, logs\.error_logs; the newest row is 2026-09-21/,
    );
    expect(page).toMatch(/--as-of 2026-09-22T00:00:00\.000Z/);
    expect(page.indexOf('Read this first')).toBeLessThan(page.indexOf('Latency (p95)'));
  });

  it('shows no such note when the window has telemetry', async () => {
    const memory = createMemoryWarehouse(telemetryRows());
    const warehouse: TelemetryWarehouse = {
      ...memory,
      coverage: async () => [{ table: 'performance.api_metrics', rowsInWindow: 1200, newest: NOW }],
    };
    const client = await signedIn({ warehouse: async () => warehouse });
    expect((await client.get('/charts')).text).not.toContain('Read this first');
  });
});
