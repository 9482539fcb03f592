import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDraft } from '../../helpers/drafts.ts';
import { PlainClient, startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

describe('the live fragments, the favicon and the sign-in hint', () => {
  let dash: DashboardHarness;
  let client: PlainClient;
  beforeAll(async () => {
    dash = await startDashboard({ refreshSeconds: 3, tokenSource: '/srv/il/data/api-token' });
    client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
  });
  afterAll(async () => {
    await dash.close();
  });

  it('answers the list fragment for the same view as the page, polling itself at the configured interval', async () => {
    const p = await dash.store.create(makeDraft({ title: 'Fragment me', priority: 'low' }), { actor: 'test' });
    const page = await client.get('/proposals?priority=low&sort=created');
    expect(page.text).toContain('hx-get="/fragments/proposals?priority=low&amp;sort=created" hx-trigger="every 3s" hx-swap="outerHTML"');
    expect(page.text).toContain('<script defer src="/dashboard-assets/htmx.min.js"></script>');
    const fragment = await client.get('/fragments/proposals?priority=low&sort=created');
    expect(fragment.status).toBe(200);
    expect(fragment.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(fragment.text).toMatch(/^<div id="proposal-list"/);
    expect(fragment.text).not.toContain('<html');
    expect(fragment.text).toContain(`href="/proposals/${p.id}"`);
    const htmx = await fetch(`${dash.url}/dashboard-assets/htmx.min.js`);
    expect(htmx.status).toBe(200);
    expect(await htmx.text()).toContain('htmx');
  });

  it('offers the “likely approved first” order, showing each pending proposal’s place and why, and how they were ranked', async () => {
    const p = await dash.store.create(makeDraft({ title: 'Rank me', priority: 'critical' }), { actor: 'test' });
    const page = await client.get('/proposals?sort=rank');
    expect(page.text).toMatch(/<option value="rank"\s+selected>likely approved first<\/option>/);
    expect(page.text).toMatch(/Pending ranked by the fixed rule: fixed rule \(priority, then size, then newest\)/);
    const first = page.text.indexOf('<tr data-id=');
    expect(page.text.slice(first, first + 200)).toContain(`data-id="${p.id}"`);
    expect(page.text).toContain('<div class="sub rank">#1 · priority critical</div>');
  });

  it('polls a proposal only while it executes, and sends its history out of band', async () => {
    const p = await dash.store.create(makeDraft(), { actor: 'test' });
    expect((await client.get(`/proposals/${p.id}`)).text).not.toContain('hx-trigger');
    await dash.store.transition({ id: p.id, to: 'approved', actor: 'test', idempotencyKey: `a-${p.id}` });
    await dash.store.transition({ id: p.id, to: 'executing', actor: 'test', idempotencyKey: `x-${p.id}` });
    expect((await client.get(`/proposals/${p.id}`)).text).toContain(`hx-get="/fragments/proposals/${p.id}" hx-trigger="every 3s"`);
    const running = await client.get(`/fragments/proposals/${p.id}`);
    expect(running.text).toContain('hx-trigger="every 3s"');
    expect(running.text).toContain('<section id="proposal-history" hx-swap-oob="true">');
    await dash.store.transition({ id: p.id, to: 'failed', actor: 'executor', idempotencyKey: `f-${p.id}` });
    const finished = await client.get(`/fragments/proposals/${p.id}`);
    expect(finished.text).toContain('<span class="badge status-failed">failed</span>');
    expect(finished.text).not.toContain('hx-trigger');
    const gone = await client.get('/fragments/proposals/feature-20260101-0000000000');
    expect(gone.status).toBe(200);
    expect(gone.text).toContain('no longer stored');
    expect(gone.text).not.toContain('hx-trigger');
  });

  it('answers a fragment without a session with 401 and an HX-Redirect to sign-in and back', async () => {
    for (const path of ['/fragments/proposals', '/fragments/proposals/feature-20260101-0000000000']) {
      const res = await fetch(dash.url + path, { redirect: 'manual', headers: { 'hx-current-url': `${dash.url}/proposals?sort=created` } });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('hx-redirect'), path).toBe(`/login?next=${encodeURIComponent('/proposals?sort=created')}`);
      expect(await res.text(), path).not.toContain('proposal');
    }
    const elsewhere = await fetch(`${dash.url}/fragments/proposals`, { headers: { 'hx-current-url': 'https://evil.example/x' } });
    expect(elsewhere.headers.get('hx-redirect')).toBe('/login?next=%2Fproposals');
  });

  it('serves an SVG favicon at /favicon.ico without a session, and links it', async () => {
    const res = await fetch(`${dash.url}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await res.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((await new PlainClient(dash.url).get('/login')).text).toContain('<link rel="icon" href="/favicon.ico" type="image/svg+xml"/>');
  });

  it('says on the sign-in page where the token is: the file, API_TOKENS, or the rule when it was not told', async () => {
    expect((await new PlainClient(dash.url).get('/login')).text).toContain('keeps its token in <code>/srv/il/data/api-token</code>');
    for (const [tokenSource, text] of [
      ['API_TOKENS', "set in the service's <code>API_TOKENS</code> environment variable"],
      [undefined, 'it writes one to <code>DATA_DIR/api-token</code>'],
    ] as const) {
      const other = await startDashboard(tokenSource ? { tokenSource } : {});
      try {
        expect((await new PlainClient(other.url).get('/login')).text).toContain(text);
      } finally {
        await other.close();
      }
    }
  });
});
