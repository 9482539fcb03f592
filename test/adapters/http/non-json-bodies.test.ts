import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../../../src/ports/analyzer.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { API_TOKEN, startApi, type ApiHarness } from './api-harness.ts';
import { createRawClient } from './raw-http.ts';

describe('request bodies that are not JSON', () => {
  let api: ApiHarness;
  let raw: ReturnType<typeof createRawClient>;
  // Counts cycles: a refused request must not have started one.
  const counting: Analyzer & { runs: number } = {
    name: 'performance',
    cycles: ['daily', 'weekly', 'monthly'],
    runs: 0,
    async analyze() {
      this.runs += 1;
      return [];
    },
  };
  const auth = { authorization: `Bearer ${API_TOKEN}` };

  beforeAll(async () => {
    api = await startApi({ analyzers: [counting] });
    raw = createRawClient(api.port);
  });
  afterAll(async () => {
    raw.close();
    await api.close();
  });

  it('answers 415 to a form-encoded POST /analyze and runs no cycle', async () => {
    const res = await api.call('POST', '/api/improvements/analyze', {
      body: 'type=daily',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: 'unsupported_media_type', message: expect.stringContaining('application/x-www-form-urlencoded') });
    expect(res.headers.get('accept-post')).toBe('application/json');
    expect(counting.runs).toBe(0);
  });

  it('answers 415 on the decision routes too, and leaves the proposal as it was', async () => {
    const proposal = await api.store.create(makeDraft(), { actor: 'test' });
    for (const [action, type] of [
      ['approve', 'text/plain'],
      ['reject', 'multipart/form-data; boundary=x'],
      ['execute', 'application/xml'],
      ['rollback', 'application/x-www-form-urlencoded'],
    ] as const) {
      const res = await api.call('POST', `/api/improvements/proposals/${proposal.id}/${action}`, {
        body: type === 'text/plain' ? '{"autoExecute":true}' : 'reason=because',
        headers: { 'content-type': type },
      });
      expect(res.status, action).toBe(415);
    }
    expect(await api.store.get(proposal.id)).toMatchObject({ status: 'pending', version: 1 });
  });

  it('answers 415 to a body without a Content-Type and to a chunked non-JSON body', async () => {
    const untyped = await raw.request({ method: 'POST', path: '/api/improvements/analyze', headers: auth, body: '{"type":"daily"}' });
    expect(untyped.status).toBe(415);
    const chunked = await raw.request({
      method: 'POST',
      path: '/api/improvements/analyze',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: 'daily',
      chunked: true,
    });
    expect(chunked.status).toBe(415);
    expect(counting.runs).toBe(0);
  });

  it('still takes JSON with a charset, and an empty body of any type as "no options"', async () => {
    const json = await api.call('POST', '/api/improvements/analyze', {
      body: { type: 'daily' },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(json.status).toBe(200);
    expect(json.body.type).toBe('daily');
    const empty = await raw.request({
      method: 'POST',
      path: '/api/improvements/analyze',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(empty.status).toBe(200);
    expect(JSON.parse(empty.body).type).toBe('full');
    expect(counting.runs).toBe(2);
  });

  it('checks the token before the body: a stranger gets 401, not 415', async () => {
    const res = await api.call('POST', '/api/improvements/analyze', { token: null, body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(401);
  });
});
