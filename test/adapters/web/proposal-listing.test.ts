import { describe, expect, it } from 'vitest';
import type { Priority, ProposalStatus } from '../../../src/domain/proposal.ts';
import { listHref, listProposals, parseListView, PAGE_SIZE, type ListView } from '../../../src/adapters/web/proposal-listing.ts';
import type { ListQuery, ListResult, ProposalStore, ProposalSummary } from '../../../src/ports/store.ts';
import { makeDraft } from '../../helpers/drafts.ts';

function summary(i: number, status: ProposalStatus, priority: Priority = 'medium'): ProposalSummary {
  const created = new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString();
  const updated = new Date(Date.UTC(2026, 10, 1) - i * 60_000).toISOString();
  return {
    ...makeDraft({ priority }),
    id: `p-${String(i).padStart(4, '0')}`,
    status,
    version: 1,
    createdAt: created,
    updatedAt: updated,
    hasPatch: false,
  };
}

/** The store port as the stores answer it: newest first, filtered by status and type, at most 500 a page. */
function storeOf(all: ProposalSummary[], onList?: (query: ListQuery) => void): Pick<ProposalStore, 'list'> & { calls: ListQuery[] } {
  const calls: ListQuery[] = [];
  return {
    calls,
    async list(query: ListQuery): Promise<ListResult> {
      calls.push(query);
      if (query.limit < 1 || query.limit > 500) throw new Error(`limit ${query.limit}`);
      const matching = all
        .filter((p) => (!query.status || p.status === query.status) && (!query.type || p.type === query.type))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const result = { items: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
      onList?.(query);
      return result;
    },
  };
}

const view = (overrides: Partial<ListView> = {}): ListView => ({ filters: {}, sort: 'status', dir: 'asc', page: 1, ...overrides });

describe('the proposal listing', () => {
  it('reads every page of the store, so the oldest of 1,234 proposals is on the last page', async () => {
    const all = Array.from({ length: 1234 }, (_, i) => summary(i, 'rejected'));
    const store = storeOf(all);
    const lastPage = Math.ceil(1234 / PAGE_SIZE);
    const listed = await listProposals(store, view({ sort: 'created', dir: 'desc', page: lastPage }));
    expect(store.calls.map((c) => c.offset)).toEqual([0, 500, 1000]);
    expect(listed).toMatchObject({ matched: 1234, page: lastPage, pages: lastPage });
    expect(listed.items.at(-1)?.id).toBe('p-0000');
    expect(listed.items).toHaveLength(1234 - (lastPage - 1) * PAGE_SIZE);
  });

  it('puts pending first by default, then approved, executing, failed, implemented, rolled back, rejected; newest first within', async () => {
    const statuses: ProposalStatus[] = ['rejected', 'implemented', 'pending', 'failed', 'executing', 'approved', 'rolled_back', 'pending'];
    const listed = await listProposals(storeOf(statuses.map((s, i) => summary(i, s))), parseListView({}));
    expect(listed.items.map((p) => `${p.status}:${p.id}`)).toEqual([
      'pending:p-0007',
      'pending:p-0002',
      'approved:p-0005',
      'executing:p-0004',
      'failed:p-0003',
      'implemented:p-0001',
      'rolled_back:p-0006',
      'rejected:p-0000',
    ]);
  });

  it('sorts by priority, created and updated, either way round', async () => {
    const all = [
      summary(0, 'pending', 'low'),
      summary(1, 'pending', 'critical'),
      summary(2, 'pending', 'high'),
      summary(3, 'pending', 'critical'),
    ];
    const ids = async (query: Record<string, string>) => (await listProposals(storeOf(all), parseListView(query))).items.map((p) => p.id);
    expect(await ids({ sort: 'priority' })).toEqual(['p-0003', 'p-0001', 'p-0002', 'p-0000']);
    expect(await ids({ sort: 'priority', dir: 'asc' })).toEqual(['p-0000', 'p-0002', 'p-0003', 'p-0001']);
    expect(await ids({ sort: 'created' })).toEqual(['p-0003', 'p-0002', 'p-0001', 'p-0000']);
    expect(await ids({ sort: 'created', dir: 'asc' })).toEqual(['p-0000', 'p-0001', 'p-0002', 'p-0003']);
    // updatedAt runs the other way from createdAt in these summaries.
    expect(await ids({ sort: 'updated' })).toEqual(['p-0000', 'p-0001', 'p-0002', 'p-0003']);
  });

  it('filters priority and text over all pages and passes status and type down to the store', async () => {
    const all = Array.from({ length: 700 }, (_, i) => summary(i, i % 2 ? 'pending' : 'rejected', i % 7 === 0 ? 'high' : 'low'));
    const store = storeOf(all);
    const listed = await listProposals(store, parseListView({ status: 'pending', priority: 'high', q: 'P-06' }));
    expect(store.calls.every((c) => c.status === 'pending' && c.type === undefined)).toBe(true);
    const expected = all.filter((p) => p.status === 'pending' && p.priority === 'high' && p.id.startsWith('p-06'));
    expect(listed.items.map((p) => p.id).sort()).toEqual(expected.map((p) => p.id).sort());
    expect(listed.matched).toBe(expected.length);
  });

  it('keeps each proposal once when one is filed while the pages are read', async () => {
    const all = Array.from({ length: 600 }, (_, i) => summary(i, 'rejected'));
    const store = storeOf(all, (query) => {
      // Filed between the first and second page: every row moves one down, so row 500 is read twice.
      if (query.offset === 0) all.push(summary(9999, 'pending'));
    });
    const listed = await listProposals(store, view({ sort: 'created', dir: 'asc', page: 1 }));
    expect(listed.matched).toBe(600);
    expect(new Set(listed.items.map((p) => p.id)).size).toBe(listed.items.length);
  });

  it('shows the last page for a page past the end, and one empty page for nothing', async () => {
    const listed = await listProposals(
      storeOf(Array.from({ length: 120 }, (_, i) => summary(i, 'pending'))),
      parseListView({ page: '99' }),
    );
    expect(listed).toMatchObject({ page: 3, pages: 3, matched: 120 });
    expect(listed.items).toHaveLength(20);
    expect(await listProposals(storeOf([]), parseListView({}))).toEqual({ items: [], matched: 0, page: 1, pages: 1 });
  });

  it('drops unknown query values and writes URLs without the defaults', () => {
    expect(parseListView({ sort: 'bogus', dir: 'sideways', page: '-2', status: 'nope' })).toEqual(view());
    expect(parseListView({ page: '2.5' }).page).toBe(1);
    expect(parseListView({ sort: 'created' })).toEqual(view({ sort: 'created', dir: 'desc' }));
    expect(listHref(view())).toBe('/proposals');
    expect(listHref(view({ sort: 'created', dir: 'desc' }))).toBe('/proposals?sort=created');
    expect(listHref(view({ filters: { priority: 'high', q: 'a&b' }, sort: 'created', dir: 'asc', page: 3 }), '/fragments/proposals')).toBe(
      '/fragments/proposals?priority=high&q=a%26b&sort=created&dir=asc&page=3',
    );
  });
});
