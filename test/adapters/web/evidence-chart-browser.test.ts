/**
 * The proposal page's chart in a real browser (Debian's headless Chromium): drawn within the
 * Content-Security-Policy, the onset marked where the step is, and readable at phone width.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceSeries } from '../../../src/domain/proposal.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { launchChromium, SCREENSHOTS, skipBrowser, watchProblems } from './chromium.ts';
import { startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

const HOUR = 3_600_000;
const ONSET = Date.parse('2026-11-30T09:00:00Z');
const SERIES: EvidenceSeries = {
  kind: 'line',
  label: 'p95 latency of GET /api/orders/:id, per hour',
  unit: 'ms',
  bucket: 'hour',
  points: Array.from({ length: 72 }, (_, i) => {
    const at = ONSET - 60 * HOUR + i * HOUR;
    return { at: new Date(at).toISOString(), value: (at >= ONSET ? 640 : 310) + ((i * 37) % 40) };
  }),
  mark: { at: new Date(ONSET).toISOString(), label: 'regression began 2026-11-30 09:00 UTC' },
};

describe.skipIf(skipBrowser)('the chart behind a proposal, in a browser', () => {
  let dash: DashboardHarness;
  let browser: Browser;
  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    dash = await startDashboard();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await dash?.close();
  });

  for (const width of [1280, 390]) {
    it(`draws the p95 series with its onset marked, at ${width} px, without a CSP violation`, async () => {
      const proposal = await dash.store.create(makeDraft({ series: SERIES }), { actor: 'test' });
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const { problems, watch } = await watchProblems(context);
      const page = await context.newPage();
      watch(page);
      await page.goto(`${dash.url}/proposals/${proposal.id}`);
      await page.fill('#token', TOKEN);
      await Promise.all([page.waitForURL(`${dash.url}/proposals/${proposal.id}`), page.click('button[type=submit]')]);
      const chart = page.locator('figure.evidence-chart svg.line-chart');
      const box = (await chart.boundingBox())!;
      expect(box.width).toBeGreaterThan(Math.min(300, width * 0.6));
      expect(box.width).toBeLessThanOrEqual(width);
      const stroke = await chart.locator('.series polyline').evaluate((el) => getComputedStyle(el).stroke);
      expect(stroke).not.toBe('none');
      // The marker stands where the step is: after the 60 hours before the onset, of 72.
      const marker = (await chart.locator('.marker line').boundingBox())!;
      expect((marker.x - box.x) / box.width).toBeGreaterThan(0.75);
      expect((marker.x - box.x) / box.width).toBeLessThan(0.9);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await chart.screenshot({ path: path.join(SCREENSHOTS, `evidence-chart-${width}.png`) });
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
