import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDraft } from '../../helpers/drafts.ts';
import { formFields, PlainClient, startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

const PATCH = `diff --git a/src/orders.ts b/src/orders.ts
index 1111111..2222222 100644
--- a/src/orders.ts
+++ b/src/orders.ts
@@ -1,3 +1,4 @@
 import { db } from './db';
-export const find = (id: string) => db.orders.get(id);
+const cache = new Map<string, unknown>();
+export const find = (id: string) => cache.get(id) ?? db.orders.get(id);
 export default find;
`;

describe('the proposal pages', () => {
  let dash: DashboardHarness;
  let client: PlainClient;
  beforeAll(async () => {
    dash = await startDashboard();
    client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
  });
  afterAll(async () => {
    await dash.close();
  });

  const file = (overrides = {}) => dash.store.create(makeDraft(overrides), { actor: 'test' });

  it('filters the list by status, type, priority and text', async () => {
    const perf = await file({ title: 'Cache the order lookup', priority: 'high' });
    const bug = await file({
      type: 'bug_fix',
      title: 'Null check in checkout',
      priority: 'critical',
      subject: { endpoint: 'POST /api/checkout' },
    });
    const docs = await file({ type: 'code_quality', category: 'docs', title: 'Document the retry policy', priority: 'low' });
    await dash.store.transition({ id: docs.id, to: 'rejected', actor: 'test', reason: 'not now', idempotencyKey: `k-${docs.id}` });

    const shown = async (query: string) => {
      const page = await client.get(`/proposals${query}`);
      expect(page.status).toBe(200);
      return [perf, bug, docs].filter((p) => page.text.includes(`href="/proposals/${p.id}"`)).map((p) => p.id);
    };
    expect(await shown('')).toEqual([perf.id, bug.id, docs.id]);
    expect(await shown('?status=rejected')).toEqual([docs.id]);
    expect(await shown('?type=bug_fix')).toEqual([bug.id]);
    expect(await shown('?priority=high')).toEqual([perf.id]);
    expect(await shown('?q=CHECKOUT')).toEqual([bug.id]);
    expect(await shown('?q=api%2Fcheckout&type=bug_fix&status=pending')).toEqual([bug.id]);
    expect(await shown('?q=order+lookup&priority=low')).toEqual([]);
    // Unknown values are ignored rather than refused, and the select shows "any".
    expect(await shown('?status=nonsense&type[x]=1')).toEqual([perf.id, bug.id, docs.id]);
    const page = await client.get('/proposals?status=rejected');
    expect(page.text).toContain('<option value="rejected" selected>');
  });

  it('shows a proposal: evidence, plans, the diff, the history and the decisions open to it', async () => {
    const p = await file({ patch: PATCH, preflight: { passed: true, summary: '12 passed', at: '2026-11-20T10:00:00.000Z' } });
    const page = await client.get(`/proposals/${p.id}`);
    expect(page.status).toBe(200);
    for (const text of [
      'p95 latency',
      '2,840 ms',
      'Add a read-through cache',
      'Revert the commit',
      'Unit test for cache hit',
      'Stale reads for up to 60 s.',
      '12 passed',
    ]) {
      expect(page.text).toContain(text);
    }
    expect(page.text).toContain('d2h-file-wrapper');
    expect(page.text).toContain('src/orders.ts');
    expect(page.text).toMatch(/<td>1<\/td><td>[^<]+<\/td><td>test<\/td><td>created/);
    expect(page.text).toContain('decision-approve');
    expect(page.text).toContain('decision-reject');
    expect(page.text).not.toContain('decision-execute');
    expect(page.text).toContain('src="/dashboard-assets/dashboard.js"');
  });

  it('renders script tags and event handlers in proposal text and patches as inert text', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror="alert(2)">';
    const p = await file({
      title: `Title ${evil}`,
      summary: `Summary ${evil}`,
      risk: `[click](javascript:alert(3)) ${evil}`,
      implementationPlan: `Plan\n\n${evil}\n\n<div onclick="alert(4)">x</div>`,
      rollbackPlan: evil,
      testPlan: evil,
      evidence: [{ label: evil, value: evil, unit: evil }],
      subject: { endpoint: `GET /x${evil}` },
      patch: `diff --git a/${evil} b/${evil}\n--- a/${evil}\n+++ b/${evil}\n@@ -1 +1 @@\n-${evil}\n+${evil}"'\n`,
    });
    const page = await client.get(`/proposals/${p.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<script>alert/i);
    expect(page.text).not.toMatch(/<img[^>]*onerror/i);
    expect(page.text).not.toMatch(/<div onclick/i);
    expect(page.text).not.toMatch(/href="javascript:/i);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const scripts = [...page.text.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
    expect(scripts.every((s) => /src="\/dashboard-assets\//.test(s))).toBe(true);
    const list = await client.get('/proposals');
    expect(list.text).not.toMatch(/<script>alert|<img[^>]*onerror/i);
    expect(list.text).toContain('Title &lt;script&gt;');
  });

  it('answers 404 with a page for an unknown proposal and for an id that is not an id', async () => {
    for (const id of ['feature-20260101-abcdef0123', 'NOT..AN..ID', '%3Cscript%3E']) {
      const page = await client.get(`/proposals/${id}`);
      expect(page.status, id).toBe(404);
      expect(page.headers.get('content-type'), id).toMatch(/text\/html/);
      expect(page.text, id).toContain('There is no proposal with that id');
    }
  });

  it('approves through the form, then shows the new status after a redirect (PRG)', async () => {
    const p = await file({ patch: PATCH });
    const fields = formFields((await client.get(`/proposals/${p.id}`)).text, 'approve');
    const res = await client.post(`/proposals/${p.id}/approve`, fields);
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/proposals/${p.id}?flash=approved`);
    const after = await client.get(res.location!);
    expect(after.text).toContain('Approved.');
    expect(after.text).toContain('<span class="badge status-approved">approved</span>');
    const stored = await dash.store.get(p.id);
    expect(stored?.status).toBe('approved');
    expect(stored?.approvedPatchHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.history.at(-1)?.actor).toMatch(/^api:[0-9a-f]{8}$/);
  });

  it('applies a double-submitted form once and says so', async () => {
    const p = await file();
    const fields = formFields((await client.get(`/proposals/${p.id}`)).text, 'approve');
    const [first, second] = await Promise.all([
      client.post(`/proposals/${p.id}/approve`, fields),
      client.post(`/proposals/${p.id}/approve`, fields),
    ]);
    const flashes = [first.location, second.location].sort();
    expect(flashes).toEqual([`/proposals/${p.id}?flash=approved`, `/proposals/${p.id}?flash=duplicate`]);
    const stored = await dash.store.get(p.id);
    expect(stored?.version).toBe(2);
    expect(stored?.history.filter((h) => h.action === 'approved')).toHaveLength(1);
    expect((await client.get(`/proposals/${p.id}?flash=duplicate`)).text).toContain('applied only once');
  });

  it('shows a conflict message for a decision made on a stale page, and applies nothing', async () => {
    const p = await file();
    const stalePage = (await client.get(`/proposals/${p.id}`)).text;
    // Someone else rejects it meanwhile (another tab, Slack or the API).
    const other = formFields((await client.get(`/proposals/${p.id}`)).text, 'reject');
    await client.post(`/proposals/${p.id}/reject`, { ...other, reason: 'duplicate of another change' });
    const res = await client.post(`/proposals/${p.id}/approve`, formFields(stalePage, 'approve'));
    expect(res.location).toBe(`/proposals/${p.id}?flash=conflict`);
    const page = await client.get(res.location!);
    expect(page.text).toContain('Someone changed this proposal while you were looking at it: it is rejected now (version 2)');
    expect((await dash.store.get(p.id))?.status).toBe('rejected');
  });

  it('requires a reason to reject, and records the reason in the history', async () => {
    const p = await file();
    const fields = formFields((await client.get(`/proposals/${p.id}`)).text, 'reject');
    const blank = await client.post(`/proposals/${p.id}/reject`, { ...fields, reason: '   ' });
    expect(blank.location).toBe(`/proposals/${p.id}?flash=reason_missing`);
    expect((await client.get(blank.location!)).text).toContain('A reason is required');
    const tooLong = await client.post(`/proposals/${p.id}/reject`, { ...fields, reason: 'x'.repeat(2001) });
    expect(tooLong.location).toBe(`/proposals/${p.id}?flash=reason_too_long`);
    expect((await dash.store.get(p.id))?.status).toBe('pending');
    const ok = await client.post(`/proposals/${p.id}/reject`, { ...fields, reason: 'We cache at the edge already <b>' });
    expect(ok.location).toBe(`/proposals/${p.id}?flash=rejected`);
    const page = await client.get(`/proposals/${p.id}`);
    expect(page.text).toContain('We cache at the edge already &lt;b&gt;');
    expect((await dash.store.get(p.id))?.history.at(-1)).toMatchObject({ action: 'rejected', reason: 'We cache at the edge already <b>' });
  });

  it('says that no executor is configured when Execute is posted, and leaves the proposal approved', async () => {
    const p = await file();
    await client.post(`/proposals/${p.id}/approve`, formFields((await client.get(`/proposals/${p.id}`)).text, 'approve'));
    const page = (await client.get(`/proposals/${p.id}`)).text;
    expect(page).toMatch(/decision-execute[\s\S]*disabled/);
    const res = await client.post(`/proposals/${p.id}/execute`, formFields(page, 'execute'));
    expect(res.location).toBe(`/proposals/${p.id}?flash=executor_unavailable`);
    expect((await dash.store.get(p.id))?.status).toBe('approved');
  });

  it('refuses a malformed form without applying it, and ignores flash codes it does not know', async () => {
    const p = await file();
    const fields = formFields((await client.get(`/proposals/${p.id}`)).text, 'approve');
    for (const broken of [
      { ...fields, idempotencyKey: 'short' },
      { ...fields, expectedVersion: 'one' },
      { ...fields, expectedVersion: '0' },
    ]) {
      const res = await client.post(`/proposals/${p.id}/approve`, broken);
      expect(res.location).toBe(`/proposals/${p.id}?flash=invalid`);
    }
    expect((await dash.store.get(p.id))?.version).toBe(1);
    const page = await client.get(`/proposals/${p.id}?flash=${encodeURIComponent('Your session expired, visit evil.example')}`);
    expect(page.text).not.toContain('evil.example');
    const unknownAction = await client.post(`/proposals/${p.id}/delete`, fields);
    expect(unknownAction.status).toBe(404);
  });
});
