/**
 * Text from telemetry and models never becomes HTML on a dashboard page: hostile endpoint names,
 * messages and plans are planted in proposals, the pages are opened in Debian's Chromium, and no
 * element, handler or script of theirs comes alive (and the CSP has nothing to block).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/adapters/web/markdown.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { launchChromium, skipBrowser } from './chromium.ts';
import { startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

/** Each marks itself with `pwned` so a live copy can be found by selector. */
const PAYLOADS = [
  'GET /api/search<script> <img class=pwned src=x onerror=window.pwned=1//=>',
  '<pre> <img class=pwned src=x onerror=window.pwned=2>',
  '<code> <svg class=pwned onload=window.pwned=3>',
  '<kbd> <iframe class=pwned srcdoc="<script>parent.pwned=4</script>"></iframe>',
  '<script>window.pwned=5</script>',
  '"><img class=pwned src=x onerror=window.pwned=6>',
  "'><a class=pwned href=javascript:window.pwned=7>x</a>",
  '[click](javascript:window.pwned=8) [data](data:text/html,<b class=pwned>x</b>)',
  '<details class=pwned open ontoggle=window.pwned=9>',
  '&lt;img src=x onerror=window.pwned=10&gt; <style>.flash{display:none}</style>',
  '<textarea><img class=pwned src=x onerror=window.pwned=11></textarea>',
  '<math><mi xlink:href="javascript:window.pwned=12" class=pwned>x</mi></math>',
  '<div class=pwned style="background:url(javascript:window.pwned=13)">',
];
const ALL = PAYLOADS.join('\n\n');

describe('markdown from untrusted text', () => {
  it('escapes what follows a raw tag marked would pass through', () => {
    for (const payload of PAYLOADS) {
      const out = renderMarkdown(payload).value;
      expect(out, payload).not.toMatch(/<(img|svg|iframe|script|details|style|textarea|math|div|kbd|b)\b/i);
      expect(out, payload).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
      expect(out, payload).not.toMatch(/<a\b[^>]*href="(javascript|data):/i);
    }
    expect(renderMarkdown(PAYLOADS[0]!).value).toContain('&lt;img class=pwned src=x onerror=window.pwned=1//=&gt;');
  });
});

describe.skipIf(skipBrowser)('hostile telemetry text in a browser', () => {
  let dash: DashboardHarness;
  let browser: Browser;
  let id: string;

  beforeAll(async () => {
    dash = await startDashboard();
    const planted = await dash.store.create(
      makeDraft({
        title: PAYLOADS[0]!,
        summary: ALL,
        risk: ALL,
        implementationPlan: ALL,
        rollbackPlan: ALL,
        testPlan: ALL,
        subject: { endpoint: PAYLOADS[0]!, files: [PAYLOADS[5]!] },
        evidence: PAYLOADS.map((p, i) => ({ label: p, value: i, unit: PAYLOADS[(i + 1) % PAYLOADS.length]! })),
      }),
      { actor: 'cycle:daily' },
    );
    id = planted.id;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await dash?.close();
  });

  async function open(page: Page, path: string): Promise<void> {
    await page.goto(`${dash.url}/proposals`);
    if (new URL(page.url()).pathname === '/login') {
      await page.fill('#token', TOKEN);
      await Promise.all([page.waitForURL(`${dash.url}/proposals`), page.click('button[type=submit]')]);
    }
    await page.goto(dash.url + path);
  }

  it('shows the payloads as text on the list and detail pages, with no live element and no CSP violation', async () => {
    const context = await browser.newContext();
    // Record violations before any page script runs, so even a blocked attempt is counted.
    await context.addInitScript(() => {
      const w = window as unknown as { violations: string[] };
      w.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    const console: string[] = [];
    page.on('console', (m) => console.push(m.text()));
    for (const path of ['/proposals', `/proposals/${id}`]) {
      await open(page, path);
      await page.waitForTimeout(200);
      const live = await page.evaluate(() => ({
        pwned: document.querySelectorAll('.pwned').length,
        handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
        jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*(javascript|data):/i.test(a.getAttribute('href') ?? ''))
          .length,
        flag: (window as unknown as { pwned?: number }).pwned ?? null,
        violations: (window as unknown as { violations: string[] }).violations,
      }));
      expect(live, path).toEqual({ pwned: 0, handlers: 0, jsLinks: 0, flag: null, violations: [] });
      expect(
        console.filter((c) => /Content Security Policy/i.test(c)),
        path,
      ).toEqual([]);
      expect(await page.textContent('body'), path).toContain('onerror=window.pwned=1');
    }
    await context.close();
  });
});
