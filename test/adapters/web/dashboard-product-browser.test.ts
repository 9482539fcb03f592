/**
 * What a product owner expects of the dashboard, in Chromium: every proposal reachable page by
 * page, pending first; the list and an executing proposal refreshing themselves; dark mode; a
 * phone-sized layout; a favicon; and the sign-in page saying where the token is. Every page is
 * watched for CSP violations and console errors.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIORITIES, type Priority } from '../../../src/domain/proposal.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { createMemoryWarehouse, type MetricRow } from '../../helpers/memory-warehouse.ts';
import { launchChromium, SCREENSHOTS, skipBrowser, watchProblems } from './chromium.ts';
import { startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

/** More than the 500 the list used to stop at, and not a whole number of 50-row pages. */
const MANY = 530;
const TOKEN_FILE = '/var/lib/improvement-loop/data/api-token';

const PATCH = `diff --git a/src/orders/find-order.ts b/src/orders/find-order.ts
index 3b18e51..a1f0c2d 100644
--- a/src/orders/find-order.ts
+++ b/src/orders/find-order.ts
@@ -1,3 +1,6 @@
 import { db } from '../db';
+// Orders change rarely after checkout: a 60 s read-through cache takes most lookups off the database, which is the point of this long line.
+const cache = new Map<string, Order>();
 export async function findOrder(id: string): Promise<Order | null> {
`;

function latencyRows(now: Date): MetricRow[] {
  const rows: MetricRow[] = [];
  for (let d = 13; d >= 0; d--)
    for (const [endpoint, ms] of [
      ['GET /api/orders/:id', 900],
      ['GET /api/users', 140],
    ] as const)
      for (let i = 0; i < 6; i++)
        rows.push({ endpoint, responseTimeMs: ms + i * 20, timestamp: new Date(now.getTime() - d * 86_400_000 - i * 3_600_000) });
  return rows;
}

/** Relative luminance of a computed CSS colour such as `rgb(13, 17, 23)`. */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

async function rowIds(page: Page): Promise<string[]> {
  return page.locator('table.proposals tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
}

describe.skipIf(skipBrowser)('the dashboard a product owner expects, in a browser', () => {
  let many: DashboardHarness;
  let live: DashboardHarness;
  let browser: Browser;
  /** Ids of the seeded list by index: index 0 is the oldest. */
  const seeded: { id: string; pending: boolean; priority: Priority }[] = [];
  let patched: { id: string };

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    const base = Date.parse('2026-10-01T00:00:00Z');
    let clock = base;
    many = await startDashboard({ storeNow: () => new Date(clock) });
    for (let i = 0; i < MANY; i++) {
      clock = base + i * 60_000;
      const priority = PRIORITIES[i % 4]!;
      const p = await many.store.create(makeDraft({ title: `Seeded proposal ${String(i).padStart(3, '0')}`, priority }), { actor: 'test' });
      const pending = i % 10 === 3;
      if (!pending) await many.store.transition({ id: p.id, to: 'rejected', actor: 'test', reason: 'seeded', idempotencyKey: `seed-${i}` });
      seeded.push({ id: p.id, pending, priority });
    }

    const warehouse = createMemoryWarehouse({ metrics: latencyRows(new Date()) });
    live = await startDashboard({ refreshSeconds: 1, tokenSource: TOKEN_FILE, warehouse: async () => warehouse });
    patched = await live.store.create(
      makeDraft({
        title: 'Cache order lookups in GET /api/orders/:id, a title long enough to wrap on a phone',
        subject: { endpoint: 'GET /api/orders/:id', files: ['src/orders/find-order.ts'] },
        patch: PATCH,
      }),
      { actor: 'cycle:daily' },
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await many?.close();
    await live?.close();
  });

  async function open(
    harness: DashboardHarness,
    options: Parameters<Browser['newContext']>[0] = {},
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const { problems, watch } = await watchProblems(context);
    const page = await context.newPage();
    watch(page);
    await page.goto(`${harness.url}/proposals`);
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(`${harness.url}/proposals`), page.click('button[type=submit]')]);
    return { context, page, problems };
  }

  it('pages through every one of 530 proposals, pending first, and page links keep the filters', async () => {
    const { context, page, problems } = await open(many);
    const pendingNewestFirst = seeded.filter((s) => s.pending).reverse();
    const first = await rowIds(page);
    expect(first).toEqual(pendingNewestFirst.slice(0, 50).map((s) => s.id));
    expect(await texts(page, 'table.proposals .badge')).toEqual(Array(50).fill('pending'));
    expect(await texts(page, '.count')).toEqual([`1–50 of ${MANY} proposals · page 1 of 11`]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'proposals-page-1.png') });

    await Promise.all([page.waitForURL(/\?page=2$/), page.click('.pager a[rel=next]')]);
    const second = await rowIds(page);
    expect(second).toHaveLength(50);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    // The three oldest pending ones end the pending block, then the decided ones begin.
    expect(second.slice(0, 3)).toEqual(pendingNewestFirst.slice(50).map((s) => s.id));
    expect((await texts(page, 'table.proposals .badge')).slice(3)).toEqual(Array(47).fill('rejected'));

    // The last page holds the very oldest proposal, which the old 500-row read never reached.
    await Promise.all([page.waitForURL(/\?page=11$/), page.click('.pager a:text-is("11")')]);
    const last = await rowIds(page);
    expect(last).toHaveLength(MANY - 500);
    expect(last).toContain(seeded[0]!.id);

    await page.goto(`${many.url}/proposals`);
    await page.selectOption('select[name=priority]', 'high');
    await Promise.all([page.waitForURL(/priority=high/), page.click('.filters button[type=submit]')]);
    const high = seeded.filter((s) => s.priority === 'high').length;
    expect(await texts(page, '.count')).toEqual([`1–50 of ${high} proposals · page 1 of ${Math.ceil(high / 50)}`]);
    await Promise.all([page.waitForURL(/page=2/), page.click('.pager a[rel=next]')]);
    expect(new URL(page.url()).searchParams.get('priority')).toBe('high');
    expect(await texts(page, 'table.proposals .priority')).toEqual(Array(50).fill('high'));
    expect((await rowIds(page)).every((id) => seeded.find((s) => s.id === id)?.priority === 'high')).toBe(true);

    // Sorting by a heading: newest first, then the other way round.
    await Promise.all([page.waitForURL(/sort=created/), page.click('th a.sort:has-text("Created")')]);
    expect(new URL(page.url()).searchParams.get('priority')).toBe('high');
    expect(new URL(page.url()).searchParams.get('page')).toBeNull();
    const highNewestFirst = seeded.filter((s) => s.priority === 'high').reverse();
    expect((await rowIds(page))[0]).toBe(highNewestFirst[0]!.id);
    await Promise.all([page.waitForURL(/dir=asc/), page.click('th a.sort:has-text("Created")')]);
    expect((await rowIds(page))[0]).toBe(highNewestFirst.at(-1)!.id);
    expect(await page.locator('th[aria-sort=ascending]').textContent()).toContain('Created');

    await page.goto(`${many.url}/proposals?sort=priority`);
    expect(await texts(page, 'table.proposals .priority')).toEqual(Array(50).fill('critical'));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a proposal changing status in the list without a reload', async () => {
    const p = await live.store.create(makeDraft({ title: 'Guard against a missing cart' }), { actor: 'test' });
    const { context, page, problems } = await open(live);
    await page.goto(`${live.url}/proposals?sort=created`);
    const badge = page.locator(`tr[data-id="${p.id}"] .badge`);
    expect((await badge.textContent())?.trim()).toBe('pending');
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    await live.store.transition({ id: p.id, to: 'approved', actor: 'test', idempotencyKey: `approve-${p.id}` });
    await page.locator(`tr[data-id="${p.id}"] .badge:text-is("approved")`).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows an executing proposal as it runs, and stops asking once it has finished', async () => {
    const p = await live.store.create(makeDraft({ title: 'Execute me' }), { actor: 'test' });
    await live.store.transition({ id: p.id, to: 'approved', actor: 'test', idempotencyKey: `a-${p.id}` });
    const started = await live.store.transition({
      id: p.id,
      to: 'executing',
      actor: 'test',
      idempotencyKey: `x-${p.id}`,
      changes: { execution: { startedAt: new Date().toISOString(), branch: `improve/${p.id}` } },
    });
    const { context, page, problems } = await open(live);
    const asked: string[] = [];
    page.on('request', (r) => r.url().endsWith(`/fragments/proposals/${p.id}`) && asked.push(r.url()));
    await page.goto(`${live.url}/proposals/${p.id}`);
    expect(await texts(page, '.meta .badge')).toEqual(['executing']);
    expect(await page.locator('#proposal-live[hx-trigger]').count()).toBe(1);
    await page.waitForRequest((r) => r.url().endsWith(`/fragments/proposals/${p.id}`), { timeout: 10_000 });

    await live.store.transition({
      id: p.id,
      to: 'implemented',
      actor: 'executor',
      idempotencyKey: `i-${p.id}`,
      expectedVersion: started.proposal.version,
      changes: { execution: { ...started.proposal.execution, finishedAt: new Date().toISOString(), testSummary: '42 passed, 0 failed' } },
    });
    await page.locator('.meta .badge:text-is("implemented")').waitFor({ timeout: 10_000 });
    expect(await page.locator('#proposal-live').textContent()).toContain('42 passed, 0 failed');
    // The history came with the same answer, out of band.
    expect(await page.locator('#proposal-history tbody tr').first().textContent()).toContain('implemented');
    expect(await page.locator('#proposal-live[hx-trigger]').count()).toBe(0);
    const askedWhenDone = asked.length;
    await page.waitForTimeout(2500);
    expect(asked.length).toBe(askedWhenDone);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'proposal-executed-live.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is dark when the browser prefers a dark colour scheme, and light otherwise', async () => {
    const { context, page, problems } = await open(live, { colorScheme: 'dark' });
    const body = () => page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
    for (const where of ['/proposals', `/proposals/${patched.id}`, '/charts']) {
      await page.goto(live.url + where);
      const [background, text] = await body();
      expect(luminance(background!), where).toBeLessThan(0.05);
      expect(luminance(text!), where).toBeGreaterThan(0.6);
    }
    await page.goto(`${live.url}/proposals/${patched.id}`);
    const diff = await page.locator('.d2h-file-wrapper').evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(luminance(diff)).toBeLessThan(0.05);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'proposal-detail-dark.png'), fullPage: true });
    await page.goto(`${live.url}/proposals`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'proposals-dark.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();

    const light = await open(live, { colorScheme: 'light' });
    const [background] = await light.page.evaluate(() => [getComputedStyle(document.body).backgroundColor]);
    expect(luminance(background!)).toBeGreaterThan(0.9);
    await light.context.close();
  });

  it('fits a 390 px phone: nothing scrolls sideways and Sign out stays on screen', async () => {
    const { context, page, problems } = await open(live, { viewport: { width: 390, height: 844 } });
    for (const where of ['/proposals', `/proposals/${patched.id}`, '/charts']) {
      await page.goto(live.url + where);
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        viewport: window.innerWidth,
      }));
      expect(widths.page, where).toBeLessThanOrEqual(widths.viewport);
      expect(widths.body, where).toBeLessThanOrEqual(widths.viewport);
      const signOut = page.locator('header button:text-is("Sign out")');
      expect(await signOut.isVisible(), where).toBe(true);
      const box = await signOut.boundingBox();
      expect(box!.x, where).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, where).toBeLessThanOrEqual(390);
      await page.screenshot({
        path: path.join(SCREENSHOTS, `phone${where.replace(/\/[^/]*-\d{8}-\w+$/, '/detail').replaceAll('/', '-')}.png`),
      });
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('serves its favicon at /favicon.ico and says on the sign-in page where the token is kept', async () => {
    const context = await browser.newContext();
    const { problems, watch } = await watchProblems(context);
    const page = await context.newPage();
    watch(page);
    await page.goto(`${live.url}/`);
    expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/favicon.ico');
    expect(await page.locator('.token-source code').textContent()).toBe(TOKEN_FILE);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login-token-file.png') });
    const icon = await page.goto(`${live.url}/favicon.ico`);
    expect(icon?.status()).toBe(200);
    expect(icon?.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    expect(await icon?.text()).toMatch(/^<svg /);
    expect(problems).toEqual([]);
    await context.close();
  });
});
