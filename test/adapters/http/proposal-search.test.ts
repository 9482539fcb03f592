import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { startApi, type ApiHarness } from './api-harness.ts';

interface ListBody {
  items: Proposal[];
  proposals: Proposal[];
  total: number;
  limit: number;
  offset: number;
  q?: string;
}

describe('searching the proposal list with ?q=', () => {
  let api: ApiHarness;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi();
    const file = async (name: string, draft: Parameters<typeof makeDraft>[0]) => {
      ids[name] = (await api.store.create(makeDraft(draft), { actor: 'test' })).id;
    };
    await file('cacheOrders', { title: 'Cache GET /api/orders/:id', summary: 'p95 latency is 2840 ms.' });
    await file('cacheUsers', { title: 'Cache GET /api/users/:id', summary: 'p95 latency is 2300 ms.' });
    await file('checkoutBug', {
      type: 'bug_fix',
      title: 'Handle an empty cart at checkout',
      summary: 'TypeError in ORDERS.ts:42, 37 times.',
    });
    await file('unrelated', { type: 'feature', title: 'Export invoices as CSV', summary: 'Asked for 12 times this week.' });
    // 600 more, none matching: the search has to read past the store's 500-item page to count right.
    for (let i = 0; i < 600; i++)
      await api.store.create(makeDraft({ title: `Index table t${i}`, summary: 'Sequential scans.' }), { actor: 'test' });
    await file('lateOrder', { title: 'Batch the order writes', summary: 'Filed after the 600.' });
  });
  afterAll(async () => {
    await api.close();
  });

  const search = async (query: string): Promise<ListBody> => {
    const res = await api.call('GET', `/api/improvements/proposals?${query}`);
    expect(res.status, query).toBe(200);
    return res.body as ListBody;
  };

  it('matches words in the title or the summary, in any case, and counts the matches in total', async () => {
    const orders = await search('q=ORDER');
    expect(orders.items.map((p) => p.id).sort()).toEqual([ids.cacheOrders, ids.checkoutBug, ids.lateOrder].sort());
    expect(orders).toMatchObject({ total: 3, q: 'ORDER' });
    expect(orders.proposals).toEqual(orders.items);
  });

  it('needs every word, in any order', async () => {
    const both = await search(`q=${encodeURIComponent('latency cache users')}`);
    expect(both.items.map((p) => p.id)).toEqual([ids.cacheUsers]);
    expect((await search('q=cache%20invoices')).total).toBe(0);
  });

  it('combines with status and type, and pages over the matches, newest first', async () => {
    expect((await search('q=order&type=bug_fix')).items.map((p) => p.id)).toEqual([ids.checkoutBug]);
    expect((await search('q=order&status=rejected')).total).toBe(0);
    const pages = [await search('q=order&limit=2'), await search('q=order&limit=2&offset=2')];
    expect(pages.map((p) => p.total)).toEqual([3, 3]);
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual((await search('q=order')).items.map((p) => p.id));
    expect(pages[0]!.items[0]!.id).toBe(ids.lateOrder);
  });

  it('reads an empty q= as no search', async () => {
    const all = await search('q=%20&limit=1');
    expect(all.total).toBe(605);
    expect(all).not.toHaveProperty('q');
  });
});
