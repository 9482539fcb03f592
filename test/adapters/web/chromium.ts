/**
 * Debian's headless Chromium for the dashboard's browser tests, and a watch on each page for what
 * must never happen: console errors, page errors, dialogs and Content-Security-Policy violations.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = path.resolve('test-artifacts/screenshots');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

// Like Redis: a developer machine without Debian's chromium skips these with a warning; CI (which
// installs it in .ci/run) fails instead of skipping.
export const chromiumThere = existsSync(CHROMIUM);
export const skipBrowser = !chromiumThere && !process.env.CI;
if (skipBrowser) console.warn(`\n*** ${CHROMIUM} is missing: the dashboard's browser tests are SKIPPED (apt install chromium) ***\n`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Everything wrong that a context's pages report. CSP violations come from the page's own
 * `securitypolicyviolation` event (an init script runs outside the page's CSP) as well as from
 * Chromium's console error for them.
 */
export async function watchProblems(context: BrowserContext): Promise<{ problems: string[]; watch(page: Page): void }> {
  const problems: string[] = [];
  await context.exposeBinding('__reportViolation', (_source, text: string) => {
    problems.push(`CSP: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportViolation(text: string): void }).__reportViolation;
      report(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return {
    problems,
    watch(page: Page) {
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('dialog', (d) => problems.push(`dialog: ${d.message()}`));
    },
  };
}
