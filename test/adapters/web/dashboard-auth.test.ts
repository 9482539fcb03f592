import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionKeeper } from '../../../src/adapters/web/session.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { formFields, PlainClient, startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

describe('signing in to the dashboard', () => {
  let dash: DashboardHarness;
  beforeAll(async () => {
    dash = await startDashboard();
  });
  afterAll(async () => {
    await dash.close();
  });

  it('sends a visitor without a session to the sign-in page, keeping where they were going', async () => {
    const res = await new PlainClient(dash.url).get('/proposals?status=pending');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/proposals?status=pending')}`);
    const login = await new PlainClient(dash.url).get('/login');
    expect(login.status).toBe(200);
    expect(login.text).toContain('name="token"');
  });

  it('refuses a bad token with 401 and the sign-in page again, and sets no cookie', async () => {
    for (const token of ['wrong-token', '', TOKEN.slice(0, -1), `${TOKEN} `.repeat(2)]) {
      const client = new PlainClient(dash.url);
      const res = await client.signIn(token);
      expect(res.status, token).toBe(401);
      expect(res.headers.get('set-cookie'), token).toBeNull();
      expect(res.text).toContain('That token is not valid here.');
      expect(res.text).toContain('name="token"');
    }
  });

  it('signs in with an API token: an HTTP-only, SameSite=Strict cookie that opens the pages', async () => {
    const client = new PlainClient(dash.url);
    const res = await client.signIn(TOKEN);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/proposals');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^il_session=[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Max-Age=43200/);
    expect(setCookie).not.toMatch(/Secure/i);
    expect(setCookie).not.toContain(TOKEN);
    const page = await client.get('/proposals');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Proposals</h1>');
  });

  it('follows only a path of its own after sign-in, never another origin', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example', '/api/improvements/metrics']) {
      const client = new PlainClient(dash.url);
      const res = await client.post('/login', { token: TOKEN, next, ...(await client.loginForm()) });
      expect(res.status, next).toBe(303);
      expect(res.location, next).toBe('/proposals');
    }
    const client = new PlainClient(dash.url);
    const res = await client.post('/login', { token: TOKEN, next: '/charts', ...(await client.loginForm()) });
    expect(res.location).toBe('/charts');
  });

  it('refuses a forged or tampered session cookie', async () => {
    const client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
    expect((await client.get('/proposals')).status).toBe(200);
    const [body, signature] = client.cookie!.slice('il_session='.length).split('.');
    const forgedBody = Buffer.from(JSON.stringify({ a: 'api:attacker', f: 'x', e: Date.now() + 1e9 })).toString('base64url');
    for (const value of [
      `${forgedBody}.${signature}`,
      `${body}.${signature!.slice(0, -2)}AA`,
      body!,
      'garbage',
      `${body}.${signature}.x`,
    ]) {
      const other = new PlainClient(dash.url);
      other.cookie = `il_session=${value}`;
      expect((await other.get('/proposals')).status, value).toBe(303);
    }
  });

  it('signs out: the cookie is cleared and the pages ask for a sign-in again', async () => {
    const client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
    const page = await client.get('/proposals');
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const res = await client.post('/logout', { csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/il_session=;.*Expires=Thu, 01 Jan 1970/);
  });

  it('sends a strict Content-Security-Policy and no-store with every page', async () => {
    const client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
    for (const path of ['/login', '/proposals', '/charts']) {
      const res = await client.get(path);
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy'), path).toContain("default-src 'none'");
      expect(res.headers.get('content-security-policy'), path).not.toContain('unsafe-inline');
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('leaves the API, the probes and unknown paths to the HTTP app', async () => {
    const api = await fetch(`${dash.url}/api/improvements/proposals`);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error: 'unauthorized' });
    expect((await fetch(`${dash.url}/healthz`)).status).toBe(200);
    const unknown = await fetch(`${dash.url}/no-such-page`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'not_found' });
    const asset = await fetch(`${dash.url}/dashboard-assets/../../package.json`);
    expect(asset.status).toBe(404);
  });
});

describe('dashboard sessions', () => {
  const now = new Date('2026-11-20T10:00:00Z');

  it('end when the configured tokens change, and when the token that opened them is removed', () => {
    const before = createSessionKeeper(['token-one-aaaaaaaa', 'token-two-bbbbbbbb'], 12);
    const opened = before.signIn('token-one-aaaaaaaa', now)!;
    expect(before.verify(opened.cookieValue, now)?.actor).toMatch(/^api:[0-9a-f]{8}$/);
    expect(createSessionKeeper(['token-two-bbbbbbbb'], 12).verify(opened.cookieValue, now)).toBeUndefined();
    expect(createSessionKeeper(['token-two-bbbbbbbb', 'token-one-aaaaaaaa'], 12).verify(opened.cookieValue, now)).toBeDefined();
  });

  it('carry the name of a named token, and sign in with its secret alone', () => {
    const keeper = createSessionKeeper(['alice:token-one-aaaaaaaa', 'token-two-bbbbbbbb'], 12);
    const opened = keeper.signIn('token-one-aaaaaaaa', now)!;
    expect(keeper.verify(opened.cookieValue, now)?.actor).toBe('api:alice');
    expect(keeper.signIn('alice:token-one-aaaaaaaa', now)).toBeUndefined();
    expect(keeper.verify(keeper.signIn('token-two-bbbbbbbb', now)!.cookieValue, now)?.actor).toMatch(/^api:[0-9a-f]{8}$/);
  });

  it('expire after the configured hours', () => {
    const keeper = createSessionKeeper(['token-one-aaaaaaaa'], 2);
    const opened = keeper.signIn('token-one-aaaaaaaa', now)!;
    expect(keeper.verify(opened.cookieValue, new Date(now.getTime() + 2 * 3600_000 - 1))).toBeDefined();
    expect(keeper.verify(opened.cookieValue, new Date(now.getTime() + 2 * 3600_000))).toBeUndefined();
  });

  it('refuse every sign-in when no token is configured', () => {
    const keeper = createSessionKeeper([], 12);
    expect(keeper.signIn('', now)).toBeUndefined();
    expect(keeper.signIn('anything', now)).toBeUndefined();
  });

  it('tie the CSRF token to the session', () => {
    const keeper = createSessionKeeper(['token-one-aaaaaaaa'], 12);
    const a = keeper.signIn('token-one-aaaaaaaa', now)!.session;
    const b = keeper.signIn('token-one-aaaaaaaa', new Date(now.getTime() + 1000))!.session;
    expect(keeper.checkCsrf(a, keeper.csrfToken(a))).toBe(true);
    expect(keeper.checkCsrf(a, keeper.csrfToken(b))).toBe(false);
    expect(keeper.checkCsrf(a, undefined)).toBe(false);
    expect(keeper.checkCsrf(a, [keeper.csrfToken(a)])).toBe(false);
  });
});

describe('CSRF protection of decisions', () => {
  let dash: DashboardHarness;
  beforeAll(async () => {
    dash = await startDashboard();
  });
  afterAll(async () => {
    await dash.close();
  });

  it('refuses a decision without a valid CSRF token, or from another site, and applies nothing', async () => {
    const p = await dash.store.create(makeDraft(), { actor: 'test' });
    const client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
    const other = new PlainClient(dash.url);
    await other.signIn(TOKEN);
    const fields = formFields((await client.get(`/proposals/${p.id}`)).text, 'approve');
    const otherFields = formFields((await other.get(`/proposals/${p.id}`)).text, 'approve');
    const { csrf: _dropped, ...withoutCsrf } = fields;
    expect((await client.post(`/proposals/${p.id}/approve`, withoutCsrf)).status).toBe(403);
    expect((await client.post(`/proposals/${p.id}/approve`, { ...fields, csrf: otherFields.csrf! })).status).toBe(403);
    expect((await client.post(`/proposals/${p.id}/approve`, fields, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const stranger = new PlainClient(dash.url);
    expect((await stranger.post(`/proposals/${p.id}/approve`, fields)).status).toBe(401);
    expect((await dash.store.get(p.id))?.status).toBe('pending');
    expect((await dash.store.get(p.id))?.version).toBe(1);
  });
});

describe('the session cookie over HTTPS', () => {
  it('is marked Secure when the request came over TLS', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dashboard-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const tls = { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
    const dash = await startDashboard({ https: tls });
    try {
      const call = (method: string, headers: Record<string, string>, body = '') =>
        new Promise<{ setCookie: string[]; text: string }>((resolve, reject) => {
          const req = request(`${dash.url}/login`, { method, ca: tls.cert, checkServerIdentity: () => undefined, headers }, (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve({ setCookie: res.headers['set-cookie'] ?? [], text }));
          });
          req.once('error', reject);
          req.end(body);
        });
      const form = await call('GET', {});
      expect(form.setCookie[0]).toMatch(/^il_login=[^;]+;.*; Secure/);
      const login = /name="login" value="([^"]+)"/.exec(form.text)![1]!;
      const body = new URLSearchParams({ token: TOKEN, next: '/proposals', login }).toString();
      const signedIn = await call(
        'POST',
        { 'content-type': 'application/x-www-form-urlencoded', cookie: form.setCookie[0]!.split(';', 1)[0]! },
        body,
      );
      expect(signedIn.setCookie.find((c) => c.startsWith('il_session='))).toMatch(/^il_session=[^;]+;.*; Secure/);
    } finally {
      await dash.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sign-in from elsewhere, and guessing', () => {
  let dash: DashboardHarness;
  beforeAll(async () => {
    dash = await startDashboard();
  });
  afterAll(async () => {
    await dash.close();
  });

  it('refuses a sign-in posted from another origin, even with a valid token, and sets no session', async () => {
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { referer: 'https://evil.example/login' },
    ];
    for (const headers of foreign) {
      const client = new PlainClient(dash.url);
      const res = await client.post('/login', { token: TOKEN, next: '/proposals', ...(await client.loginForm()) }, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(
        res.headers.getSetCookie().some((c) => c.startsWith('il_session=')),
        JSON.stringify(headers),
      ).toBe(false);
    }
    const client = new PlainClient(dash.url);
    const own = await client.post('/login', { token: TOKEN, next: '/proposals', ...(await client.loginForm()) }, { origin: dash.url });
    expect(own.status).toBe(303);
  });

  it('refuses a sign-in without the form token of a sign-in page this browser opened', async () => {
    const stranger = new PlainClient(dash.url);
    expect((await stranger.post('/login', { token: TOKEN, next: '/proposals' })).status).toBe(403);
    // A token from another browser's page does not match this browser's cookie.
    const other = new PlainClient(dash.url);
    const { login } = await other.loginForm();
    await stranger.loginForm();
    const res = await stranger.post('/login', { token: TOKEN, next: '/proposals', login });
    expect(res.status).toBe(403);
    expect(res.text).toContain('The sign-in form has expired or did not come from this dashboard');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('il_session='))).toBe(false);
  });

  it('stops a client after 10 failed sign-ins with 429 and Retry-After, even for the right token', async () => {
    const client = new PlainClient(dash.url);
    for (let i = 0; i < 10; i++) expect((await client.signIn(`guess-${i}`)).status).toBe(401);
    const res = await client.signIn(TOKEN);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.text).toContain('Too many failed sign-ins');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('il_session='))).toBe(false);
  });
});
