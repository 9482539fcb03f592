import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { startApi, type ApiHarness } from './api-harness.ts';

describe('listing and reading proposals over the API', () => {
  let api: ApiHarness;
  const filed: Proposal[] = [];

  beforeAll(async () => {
    api = await startApi();
    // 12 performance, 5 bug fixes; 4 of the performance ones rejected.
    for (let i = 0; i < 12; i++) filed.push(await api.store.create(makeDraft({ type: 'performance' }), { actor: 'test' }));
    for (let i = 0; i < 5; i++) filed.push(await api.store.create(makeDraft({ type: 'bug_fix' }), { actor: 'test' }));
    for (const p of filed.slice(0, 4)) {
      await api.store.transition({ id: p.id, to: 'rejected', actor: 'test', reason: 'no', idempotencyKey: `r-${p.id}` });
    }
  });
  afterAll(async () => {
    await api.close();
  });

  it('returns {items, total, limit, offset} with 50 per page by default, and the same list as `proposals` for older clients', async () => {
    const res = await api.call('GET', '/api/improvements/proposals');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 17, limit: 50, offset: 0 });
    expect(res.body.items).toHaveLength(17);
    expect(res.body.proposals).toEqual(res.body.items);
    // Lists are summaries: no history, no patch.
    expect(res.body.items[0]).not.toHaveProperty('history');
  });

  it('sends exactly what the store lists, as JSON, for an empty page too', async () => {
    const res = await api.call('GET', '/api/improvements/proposals?type=bug_fix&limit=3&offset=1');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const listed = await api.store.list({ type: 'bug_fix', limit: 3, offset: 1 });
    expect(res.body).toEqual({ items: listed.items, proposals: listed.items, total: 5, limit: 3, offset: 1 });
    const past = await api.call('GET', '/api/improvements/proposals?offset=400');
    expect(past.body).toEqual({ items: [], proposals: [], total: 17, limit: 50, offset: 400 });
  });

  it('sorts pending first with sort=status, either way round, and refuses a sort it does not know', async () => {
    const pendingFirst = await api.call('GET', '/api/improvements/proposals?sort=status&limit=13');
    expect(pendingFirst.body.items.map((p: Proposal) => p.status)).toEqual([...Array(13).fill('pending')]);
    const rejectedFirst = await api.call('GET', '/api/improvements/proposals?sort=status&dir=desc&limit=5');
    expect(rejectedFirst.body.items.map((p: Proposal) => p.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'pending']);
    const oldest = await api.call('GET', '/api/improvements/proposals?sort=created&dir=asc&limit=1');
    expect(oldest.body.items[0].id).toBe(filed[0]!.id);
    const searched = await api.call('GET', '/api/improvements/proposals?sort=status&dir=desc&q=a&limit=1');
    expect(searched.status).toBe(200);
    expect((await api.call('GET', '/api/improvements/proposals?sort=priority')).status).toBe(400);
  });

  it('pages through every proposal exactly once', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 17; offset += 5) {
      const res = await api.call('GET', `/api/improvements/proposals?limit=5&offset=${offset}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 17, limit: 5, offset });
      seen.push(...res.body.proposals.map((p: Proposal) => p.id));
    }
    expect(seen).toHaveLength(17);
    expect(new Set(seen)).toEqual(new Set(filed.map((p) => p.id)));
  });

  it('filters by status and by type, and by both', async () => {
    const rejected = await api.call('GET', '/api/improvements/proposals?status=rejected');
    expect(rejected.body.total).toBe(4);
    expect(rejected.body.proposals.every((p: Proposal) => p.status === 'rejected')).toBe(true);

    const bugs = await api.call('GET', '/api/improvements/proposals?type=bug_fix');
    expect(bugs.body.total).toBe(5);
    expect(bugs.body.proposals.every((p: Proposal) => p.type === 'bug_fix')).toBe(true);

    const pendingPerformance = await api.call('GET', '/api/improvements/proposals?status=pending&type=performance&limit=3');
    expect(pendingPerformance.body).toMatchObject({ total: 8, limit: 3 });
    expect(pendingPerformance.body.proposals).toHaveLength(3);
  });

  it('answers 400 bad_request for an unknown status or type, a repeated parameter, and a limit outside 1..500', async () => {
    for (const query of [
      'status=done',
      'type=magic',
      'status=pending&status=rejected',
      'limit=0',
      'limit=501',
      'limit=abc',
      'limit=2.5',
      'offset=-1',
      'offset=x',
      'q=a&q=b',
      `q=${'x'.repeat(201)}`,
    ]) {
      const res = await api.call('GET', `/api/improvements/proposals?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toBe('bad_request');
    }
  });

  it('returns one proposal with its history', async () => {
    const p = filed[0]!;
    const res = await api.call('GET', `/api/improvements/proposals/${p.id}`);
    expect(res.status).toBe(200);
    expect(res.body.proposal).toMatchObject({ id: p.id, status: 'rejected', version: 2 });
    expect(res.body.proposal.history).toHaveLength(2);
  });

  it('answers 404 not_found for a well-formed id nobody filed', async () => {
    const res = await api.call('GET', '/api/improvements/proposals/performance-20260101-0000000000');
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  it('answers 400 for an id that is not an id, including bad percent-encoding', async () => {
    for (const id of ['UPPER', '-leading-dash', 'x'.repeat(81), 'a%20b', '%E0%A4%A', 'a.b']) {
      const res = await api.call('GET', `/api/improvements/proposals/${id}`);
      expect(res.status, id).toBe(400);
      expect(res.body.error, id).toBe('bad_request');
    }
  });
});
