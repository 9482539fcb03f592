import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import type { Priority, ProposalStatus } from '../../../src/domain/proposal.ts';
import { listHref, listProposals, parseListView, PAGE_SIZE, type ListView } from '../../../src/adapters/web/proposal-listing.ts';
import type { ListQuery, ProposalStore } from '../../../src/ports/store.ts';
import { DEFAULT_RANKING, rankPending } from '../../../src/proposals/ranking/pending-ranking.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { makeStoreDir } from '../../helpers/embedded.ts';

/** The moves from pending to each status, in lifecycle order. */
const PATH_TO: Record<ProposalStatus, ProposalStatus[]> = {
  pending: [],
  approved: ['approved'],
  executing: ['approved', 'executing'],
  failed: ['approved', 'executing', 'failed'],
  implemented: ['approved', 'executing', 'implemented'],
  merged: ['approved', 'executing', 'implemented', 'merged'],
  rolled_back: ['approved', 'executing', 'implemented', 'rolled_back'],
  rejected: ['rejected'],
};

/**
 * A real embedded store on a clock the test sets: proposal i is filed at minute i as `p-000i`, so
 * newest first is highest i first. Every list call is recorded.
 */
function useListedStore() {
  const state = { clock: Date.UTC(2026, 9, 1), calls: [] as ListQuery[] };
  let real: ProposalStore;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    const dir = await makeStoreDir();
    remove = dir.remove;
    state.calls = [];
    real = createEmbeddedStore({ file: dir.file, now: () => new Date(state.clock) });
  });
  afterEach(async () => {
    await real.close();
    await remove();
  });
  const store: Pick<ProposalStore, 'list'> = {
    list: (query) => {
      state.calls.push(query);
      return real.list(query);
    },
  };
  async function file(i: number, status: ProposalStatus, priority: Priority = 'medium'): Promise<string> {
    state.clock = Date.UTC(2026, 9, 1) + i * 60_000;
    const id = `p-${String(i).padStart(4, '0')}`;
    await real.create(makeDraft({ priority }), { actor: 'test', id });
    for (const to of PATH_TO[status]) {
      const reason = to === 'rejected' || to === 'failed' || to === 'rolled_back' ? { reason: 'test' } : {};
      await real.transition({ id, to, actor: 'test', idempotencyKey: `${id}-${to}`, ...reason });
    }
    return id;
  }
  return {
    store,
    /** The whole store, for the ranking (which reads history). */
    full: () => real,
    state,
    file,
    refreshAt: (id: string, minute: number) => {
      state.clock = Date.UTC(2026, 10, 1) + minute * 60_000;
      return real
        .get(id)
        .then((p) => real.refresh({ id, actor: 'test', expectedVersion: p!.version, refresh: { summary: `seen at ${minute}` } }));
    },
  };
}

const view = (overrides: Partial<ListView> = {}): ListView => ({ filters: {}, sort: 'status', dir: 'asc', page: 1, ...overrides });

describe('the proposal listing', () => {
  const listed = useListedStore();

  it('asks the store for the one page shown, so the oldest of 234 proposals is on the last page', async () => {
    for (let i = 0; i < 234; i++) await listed.file(i, 'rejected');
    const lastPage = Math.ceil(234 / PAGE_SIZE);
    const page = await listProposals(listed.store, view({ sort: 'created', dir: 'desc', page: lastPage }));
    expect(listed.state.calls).toEqual([{ sort: 'created', direction: 'desc', limit: PAGE_SIZE, offset: (lastPage - 1) * PAGE_SIZE }]);
    expect(page).toMatchObject({ matched: 234, page: lastPage, pages: lastPage });
    expect(page.items.at(-1)?.id).toBe('p-0000');
    expect(page.items).toHaveLength(234 - (lastPage - 1) * PAGE_SIZE);
  });

  it('puts pending first by default, then approved, executing, failed, implemented, rolled back, rejected; newest first within', async () => {
    const statuses: ProposalStatus[] = ['rejected', 'implemented', 'pending', 'failed', 'executing', 'approved', 'rolled_back', 'pending'];
    for (const [i, status] of statuses.entries()) await listed.file(i, status);
    const page = await listProposals(listed.store, parseListView({}));
    expect(listed.state.calls).toHaveLength(1);
    expect(page.items.map((p) => `${p.status}:${p.id}`)).toEqual([
      'pending:p-0007',
      'pending:p-0002',
      'approved:p-0005',
      'executing:p-0004',
      'failed:p-0003',
      'implemented:p-0001',
      'rolled_back:p-0006',
      'rejected:p-0000',
    ]);
    const reversed = await listProposals(listed.store, parseListView({ dir: 'desc' }));
    expect(reversed.items.map((p) => p.status)).toEqual([
      'rejected',
      'rolled_back',
      'implemented',
      'failed',
      'executing',
      'approved',
      'pending',
      'pending',
    ]);
  });

  it('sorts by priority, created and updated, either way round', async () => {
    for (const [i, priority] of (['low', 'critical', 'high', 'critical'] as const).entries()) await listed.file(i, 'pending', priority);
    // Refreshed in the other order from filing: updatedAt runs the other way from createdAt.
    for (const [minute, id] of ['p-0003', 'p-0002', 'p-0001', 'p-0000'].entries()) await listed.refreshAt(id, minute);
    const ids = async (query: Record<string, string>) => (await listProposals(listed.store, parseListView(query))).items.map((p) => p.id);
    expect(await ids({ sort: 'priority' })).toEqual(['p-0003', 'p-0001', 'p-0002', 'p-0000']);
    expect(await ids({ sort: 'priority', dir: 'asc' })).toEqual(['p-0000', 'p-0002', 'p-0003', 'p-0001']);
    expect(await ids({ sort: 'created' })).toEqual(['p-0003', 'p-0002', 'p-0001', 'p-0000']);
    expect(await ids({ sort: 'created', dir: 'asc' })).toEqual(['p-0000', 'p-0001', 'p-0002', 'p-0003']);
    expect(await ids({ sort: 'updated' })).toEqual(['p-0000', 'p-0001', 'p-0002', 'p-0003']);
  });

  it('ranks pending proposals as the ranking does, with each one’s place and reason, and lists the rest after them', async () => {
    const filed = [
      await listed.file(0, 'pending', 'low'),
      await listed.file(1, 'pending', 'critical'),
      await listed.file(2, 'approved', 'critical'),
      await listed.file(3, 'pending', 'high'),
      await listed.file(4, 'rejected', 'critical'),
    ];
    const page = await listProposals(listed.store, parseListView({ sort: 'rank' }), () => rankPending(listed.full(), DEFAULT_RANKING));
    expect(page.items.map((p) => p.id)).toEqual([filed[1], filed[3], filed[0], filed[2], filed[4]]);
    expect(page.ranked?.method).toBe('rule');
    expect(page.ranked?.basis).toMatch(/^fixed rule .*2 decisions \(1 approved, 1 rejected\)/);
    expect(page.ranked?.places.get(filed[3]!)).toEqual({ position: 2, why: 'priority high' });
    expect(page.ranked?.places.has(filed[2]!)).toBe(false);
    // Without a ranking to ask (or under any other sort) there is nothing to show.
    expect(
      (await listProposals(listed.store, parseListView({ sort: 'priority' }), () => rankPending(listed.full(), DEFAULT_RANKING))).ranked,
    ).toBeUndefined();
  });

  it('filters priority and text over all pages and passes status and type down to the store', async () => {
    const made = [];
    for (let i = 0; i < 520; i++) {
      const status = i % 2 ? 'pending' : 'rejected';
      const priority = i % 7 === 0 ? 'high' : 'low';
      made.push({ id: await listed.file(i, status, priority), status, priority });
    }
    const page = await listProposals(listed.store, parseListView({ status: 'pending', priority: 'high', q: 'P-06' }));
    expect(listed.state.calls.every((c) => c.status === 'pending' && c.type === undefined)).toBe(true);
    const expected = made.filter((p) => p.status === 'pending' && p.priority === 'high' && p.id.startsWith('p-06'));
    expect(page.items.map((p) => p.id).sort()).toEqual(expected.map((p) => p.id).sort());
    expect(page.matched).toBe(expected.length);
  });

  it('keeps each proposal once when one is filed while the pages of a sort the store does not keep are read', async () => {
    for (let i = 0; i < 510; i++) await listed.file(i, 'rejected');
    const reading = listed.store.list;
    let filed: Promise<string> | undefined;
    const store: Pick<ProposalStore, 'list'> = {
      async list(query) {
        const page = await reading(query);
        // Filed between the first and second page: every row moves one down, so row 500 is read twice.
        if (query.offset === 0) filed = listed.file(9999, 'pending');
        await filed;
        return page;
      },
    };
    const page = await listProposals(store, view({ sort: 'updated', dir: 'asc', page: 1 }));
    expect(listed.state.calls.map((c) => c.offset)).toEqual([0, 500]);
    expect(page.matched).toBe(510);
    expect(new Set(page.items.map((p) => p.id)).size).toBe(page.items.length);
  });

  it('shows the last page for a page past the end, and one empty page for nothing', async () => {
    expect(await listProposals(listed.store, parseListView({}))).toEqual({ items: [], matched: 0, page: 1, pages: 1 });
    for (let i = 0; i < 120; i++) await listed.file(i, 'pending');
    const page = await listProposals(listed.store, parseListView({ page: '99' }));
    expect(page).toMatchObject({ page: 3, pages: 3, matched: 120 });
    expect(page.items).toHaveLength(20);
    expect(page.items.at(-1)?.id).toBe('p-0000');
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
