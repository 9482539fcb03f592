/**
 * The dashboard in a real browser: Debian's headless Chromium driven by playwright-core, against the
 * real HTTP app. One browser for the file; a screenshot of each page goes to test-artifacts/screenshots.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDraft } from '../../helpers/drafts.ts';
import { createMemoryWarehouse, type MetricRow } from '../../helpers/memory-warehouse.ts';
import { launchChromium, SCREENSHOTS, skipBrowser } from './chromium.ts';
import { startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

const PATCH = `diff --git a/src/orders/find-order.ts b/src/orders/find-order.ts
index 3b18e51..a1f0c2d 100644
--- a/src/orders/find-order.ts
+++ b/src/orders/find-order.ts
@@ -1,6 +1,11 @@
 import { db } from '../db';
+import { LruCache } from '../cache/lru';
+
+// Orders change rarely after checkout: a 60 s read-through cache takes most lookups off the database.
+const cache = new LruCache<string, Order>({ max: 10_000, ttlMs: 60_000 });
 
 export async function findOrder(id: string): Promise<Order | null> {
-  return db.orders.findUnique({ where: { id } });
+  const hit = cache.get(id);
+  if (hit) return hit;
+  const order = await db.orders.findUnique({ where: { id } });
+  if (order) cache.set(id, order);
+  return order;
 }
`;

function latencyRows(now: Date): MetricRow[] {
  const rows: MetricRow[] = [];
  const endpoints: [string, number, number][] = [
    ['GET /api/orders/:id', 300, 2400],
    ['GET /api/users', 140, 150],
    ['POST /api/checkout', 600, 700],
  ];
  for (let d = 29; d >= 0; d--) {
    for (const [endpoint, before, after] of endpoints) {
      for (let i = 0; i < 12; i++) {
        rows.push({
          endpoint,
          responseTimeMs: (d < 9 ? after : before) + i * 15 + ((d * 37) % 50),
          timestamp: new Date(now.getTime() - d * 86_400_000 - i * 3_600_000),
        });
      }
    }
  }
  return rows;
}

/** Server-rendered pages are complete at the load event that navigation waits for: read, don't poll. */
async function textOf(locator: Locator): Promise<string> {
  return ((await locator.first().textContent()) ?? '').trim();
}

describe.skipIf(skipBrowser)('the dashboard in a browser', () => {
  let dash: DashboardHarness;
  let browser: Browser;
  let cached: { id: string; title: string };

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    const now = new Date();
    const warehouse = createMemoryWarehouse({
      metrics: latencyRows(now),
      errors: Array.from({ length: 40 }, (_, i) => ({
        message: `Timeout after ${900 + i} ms calling inventory`,
        endpoint: 'GET /api/orders/:id',
        timestamp: new Date(now.getTime() - (i % 10) * 86_400_000),
      })),
    });
    let storeNow = new Date(now.getTime() - 8 * 86_400_000);
    dash = await startDashboard({ warehouse: async () => warehouse, storeNow: () => storeNow });
    const p = await dash.store.create(
      makeDraft({
        title: 'Cache order lookups in GET /api/orders/:id',
        subject: { endpoint: 'GET /api/orders/:id', files: ['src/orders/find-order.ts'] },
        patch: PATCH,
        implementationPlan: '1. Add an LRU cache in front of `findOrder`.\n2. Invalidate on order update.\n\n<script>alert("x")</script>',
      }),
      { actor: 'cycle:daily' },
    );
    cached = { id: p.id, title: p.title };
    storeNow = new Date(now.getTime() - 30 * 86_400_000);
    const usage = (inputTokens: number, outputTokens: number, costUsd: number) => ({
      model: 'claude-sonnet',
      requests: 1,
      inputTokens,
      outputTokens,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      costUsd,
    });
    const older = await dash.store.create(makeDraft({ subject: { endpoint: 'GET /api/users' }, writerUsage: usage(3100, 820, 0.0216) }), {
      actor: 'cycle:daily',
    });
    await dash.store.transition({ id: older.id, to: 'approved', actor: 'api:0a1b2c3d', idempotencyKey: 'seed-approve' });
    await dash.store.recordGain({
      proposalId: older.id,
      endpoint: 'GET /api/users',
      beforeMs: 410,
      afterMs: 150,
      measuredAt: now.toISOString(),
    });
    storeNow = new Date();
    await dash.store.create(
      makeDraft({
        type: 'bug_fix',
        title: 'Guard against a missing cart in checkout',
        priority: 'critical',
        writerUsage: usage(2400, 610, 0.0164),
      }),
      { actor: 'cycle:daily' },
    );
    await dash.store.create(makeDraft({ type: 'code_quality', category: 'docs', title: 'Document the retry policy', priority: 'low' }), {
      actor: 'cycle:weekly',
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await dash?.close();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${dash.url}/proposals`);
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(`${dash.url}/proposals`), page.click('button[type=submit]')]);
  }

  it('refuses a bad token and keeps the visitor on the sign-in page without a cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${dash.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login.png') });
    await page.fill('#token', 'not-the-token');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
      page.click('button[type=submit]'),
    ]);
    expect(response.status()).toBe(401);
    expect(await textOf(page.locator('.flash.error'))).toBe('That token is not valid here.');
    // Only the sign-in form's own cookie; no session.
    expect((await context.cookies()).map((c) => c.name)).toEqual(['il_login']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login-refused.png') });
    await context.close();
  });

  it('signs in, filters, opens a proposal, approves it, and a second browser sees the change on reload', async () => {
    const errors: string[] = [];
    const first = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await first.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => errors.push(`dialog: ${d.message()}`));
    await signIn(page);
    expect(await page.locator('table.proposals tbody tr').count()).toBe(4);

    await page.selectOption('select[name=type]', 'performance');
    await page.fill('input[name=q]', 'order lookups');
    await Promise.all([page.waitForURL(/type=performance/), page.click('.filters button[type=submit]')]);
    expect(await page.locator('table.proposals tbody tr').count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'proposals.png'), fullPage: true });

    const second = await browser.newContext();
    const other = await second.newPage();
    await signIn(other);
    await other.goto(`${dash.url}/proposals/${cached.id}`);
    expect(await textOf(other.locator('.meta .badge'))).toBe('pending');

    await Promise.all([page.waitForURL(`${dash.url}/proposals/${cached.id}`), page.click(`a[href="/proposals/${cached.id}"]`)]);
    expect(await textOf(page.locator('h1'))).toBe(cached.title);
    expect(await textOf(page.locator('.meta .badge'))).toBe('pending');
    // The diff is server-rendered; the script adds syntax colours on top.
    await page.waitForSelector('[data-diff][data-highlighted=true]', { timeout: 5000 });
    expect(await page.locator('.d2h-code-line-ctn .hljs-keyword').count()).toBeGreaterThan(0);
    expect(await textOf(page.locator('section', { hasText: 'Implementation plan' }))).toContain('<script>alert("x")</script>');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'proposal-detail.png'), fullPage: true });

    await Promise.all([page.waitForURL(/flash=approved/), page.click('.decision-approve button')]);
    expect(await textOf(page.locator('.flash.ok'))).toBe('Approved.');
    expect(await textOf(page.locator('.meta .badge'))).toBe('approved');
    expect(await textOf(page.locator('table.history tbody tr').first())).toContain('approved');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'proposal-approved.png'), fullPage: true });

    expect(await textOf(other.locator('.meta .badge'))).toBe('pending');
    await other.reload();
    expect(await textOf(other.locator('.meta .badge'))).toBe('approved');
    expect(await other.locator('.decision-approve').count()).toBe(0);
    expect(errors).toEqual([]);
    await first.close();
    await second.close();
  });

  it('shows the charts page, with the performance proposal marked on its endpoint', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page);
    await Promise.all([page.waitForURL(`${dash.url}/charts`), page.click('nav a[href="/charts"]')]);
    expect(await textOf(page.locator('h1'))).toBe('Charts');
    expect(await page.locator(`figure.endpoint-trend a[href="/proposals/${cached.id}"] .marker`).count()).toBe(1);
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'charts.png'), fullPage: true });
    await context.close();
  });

  it('reads every page with JavaScript switched off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${dash.url}/proposals/${cached.id}`);
    expect(await page.locator('.d2h-file-wrapper').count()).toBe(1);
    expect(await page.locator('.d2h-code-line-ctn', { hasText: 'cache.get(id)' }).count()).toBe(1);
    await page.goto(`${dash.url}/charts`);
    expect(await page.locator('figure.endpoint-trend').count()).toBe(3);
    await context.close();
  });
});
