import { Writable } from 'node:stream';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging.ts';
import {
  actorForToken,
  createTokenCheck,
  createTokenIdentifier,
  parseApiToken,
  parseBearer,
} from '../../../src/adapters/http/bearer-auth.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { API_TOKEN, startApi, type ApiHarness } from './api-harness.ts';

describe('bearer auth of the HTTP API', () => {
  let api: ApiHarness | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('answers 401 unauthorized with a WWW-Authenticate challenge when no token is sent', async () => {
    api = await startApi();
    const res = await api.call('GET', '/api/improvements/proposals', { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('answers 401 for a wrong token, the right token with a suffix, and the right token minus a character', async () => {
    api = await startApi();
    for (const token of ['wrong', `${API_TOKEN}x`, API_TOKEN.slice(0, -1)]) {
      const res = await api.call('GET', '/api/improvements/proposals', { token });
      expect(res.status, token).toBe(401);
    }
  });

  it('accepts the scheme in any case, as RFC 7235 says', async () => {
    api = await startApi();
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await api.call('GET', '/api/improvements/proposals', {
        token: null,
        headers: { authorization: `${scheme} ${API_TOKEN}` },
      });
      expect(res.status, scheme).toBe(200);
    }
  });

  it('refuses everything when no token is configured', async () => {
    api = await startApi({ tokens: [] });
    for (const token of ['', 'anything', API_TOKEN]) {
      const res = await api.call('GET', '/api/improvements/metrics', { token: null, headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
    }
  });

  it('accepts any of several configured tokens', async () => {
    api = await startApi({ tokens: ['first-token', API_TOKEN, 'third-token'] });
    expect((await api.call('GET', '/api/improvements/metrics')).status).toBe(200);
    expect((await api.call('GET', '/api/improvements/metrics', { token: 'third-token' })).status).toBe(200);
    expect((await api.call('GET', '/api/improvements/metrics', { token: 'fourth-token' })).status).toBe(401);
  });

  it('records an API decision as api:<first 8 hex of sha256(token)>, never the token', async () => {
    api = await startApi();
    const p = await api.store.create(makeDraft(), { actor: 'test' });
    const res = await api.call('POST', `/api/improvements/proposals/${p.id}/approve`, { body: {} });
    expect(res.status).toBe(200);
    const expected = `api:${createHash('sha256').update(API_TOKEN).digest('hex').slice(0, 8)}`;
    const stored = await api.store.get(p.id);
    expect(stored?.history.at(-1)?.actor).toBe(expected);
    expect(JSON.stringify(stored)).not.toContain(API_TOKEN);
  });

  it('records a named token’s decisions as api:<name> in the history, never the token, and keeps bare tokens named by digest', async () => {
    api = await startApi({ tokens: ['alice:alice-secret-token-0123', 'bob:bob-secret-token-4567', API_TOKEN] });
    const p = await api.store.create(makeDraft(), { actor: 'test' });
    expect(
      (await api.call('POST', `/api/improvements/proposals/${p.id}/approve`, { token: 'alice-secret-token-0123', body: {} })).status,
    ).toBe(200);
    const q = await api.store.create(makeDraft(), { actor: 'test' });
    expect((await api.call('POST', `/api/improvements/proposals/${q.id}/reject`, { body: { reason: 'not now' } })).status).toBe(200);
    const history = await api.call('GET', `/api/improvements/proposals/${p.id}`);
    expect(history.body.proposal.history.at(-1)).toMatchObject({ actor: 'api:alice', to: 'approved' });
    expect((await api.store.get(q.id))?.history.at(-1)?.actor).toBe(actorForToken(API_TOKEN));
    expect(JSON.stringify(await api.store.get(p.id))).not.toContain('alice-secret');
    // The name is not part of the credential: presenting "name:token" is a wrong token.
    expect((await api.call('GET', '/api/improvements/metrics', { token: 'alice:alice-secret-token-0123' })).status).toBe(401);
    expect((await api.call('GET', '/api/improvements/metrics', { token: 'bob-secret-token-4567' })).status).toBe(200);
  });

  it('never writes the token or the Authorization header to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    api = await startApi({ logger: createLogger('trace', sink) });
    const p = await api.store.create(makeDraft(), { actor: 'test' });
    await api.call('POST', `/api/improvements/proposals/${p.id}/reject`, { body: { reason: 'not now' } });
    await api.call('GET', '/api/improvements/proposals', { token: `${API_TOKEN}-wrong` });
    await api.call('GET', '/api/improvements/proposals/no-such-id');
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('');
    expect(all).not.toContain(API_TOKEN);
    expect(all.toLowerCase()).not.toContain('authorization');
    expect(all).toContain('"requestId"');
    // The request line names the full path and the actor, which is how a decision is traced back.
    expect(all).toContain(`"path":"/api/improvements/proposals/${p.id}/reject"`);
    expect(all).toContain(`"actor":"${actorForToken(API_TOKEN)}"`);
  });
});

describe('bearer header parsing and token comparison', () => {
  it('takes exactly "<scheme> <token>" and nothing looser', () => {
    expect(parseBearer('Bearer abc')).toBe('abc');
    expect(parseBearer('bEaReR abc')).toBe('abc');
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Bearer  abc',
      'Bearer abc def',
      'Basic abc',
      'Bearerabc',
      ' Bearer abc',
      'Bearer\tabc',
      'Bearer ábc',
    ]) {
      expect(parseBearer(header), JSON.stringify(header)).toBeUndefined();
    }
  });

  it('matches only a configured token and ignores empty configured tokens', () => {
    const check = createTokenCheck(['', 'alpha', 'beta']);
    expect(check('alpha')).toBe(true);
    expect(check('beta')).toBe(true);
    expect(check('')).toBe(false);
    expect(check('alph')).toBe(false);
    expect(createTokenCheck([])('anything')).toBe(false);
  });

  it('reads name:token entries, and takes anything that is not a short name before the colon as a bare token', () => {
    expect(parseApiToken('alice:s3cret')).toEqual({ actor: 'api:alice', secret: 's3cret' });
    expect(parseApiToken('ci-bot.prod:a:b')).toEqual({ actor: 'api:ci-bot.prod', secret: 'a:b' });
    expect(parseApiToken('plain-token')).toEqual({ actor: actorForToken('plain-token'), secret: 'plain-token' });
    expect(parseApiToken('9x:abc')).toEqual({ actor: actorForToken('9x:abc'), secret: '9x:abc' });
    expect(parseApiToken(':abc')).toEqual({ actor: actorForToken(':abc'), secret: ':abc' });
    const identify = createTokenIdentifier(['alice:one', 'two']);
    expect(identify('one')).toBe('api:alice');
    expect(identify('two')).toBe(actorForToken('two'));
    expect(identify('alice:one')).toBeUndefined();
  });

  it('derives the actor from the token digest', () => {
    expect(actorForToken('alpha')).toBe(`api:${createHash('sha256').update('alpha').digest('hex').slice(0, 8)}`);
  });
});
