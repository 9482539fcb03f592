import { PRIORITIES, PROPOSAL_TYPES, STATUSES, type Priority, type ProposalStatus, type ProposalType } from '../../domain/proposal.ts';
import { STATUS_RANK } from '../../domain/status-order.ts';
import type { ProposalStore, ProposalSummary } from '../../ports/store.ts';
import type { Ranking } from '../../proposals/ranking/pending-ranking.ts';

/** Rows on one page of the list. */
export const PAGE_SIZE = 50;

/** The store's largest page: the list is read in pages of this size until every proposal is in. */
const STORE_PAGE = 500;

export const SORTS = ['status', 'rank', 'created', 'updated', 'priority'] as const;
export type SortKey = (typeof SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/**
 * Status sorts ascending (pending first), rank ascending (the pending proposal most likely to be
 * approved first), priority descending (critical first), times newest first.
 */
export const DEFAULT_DIRECTION: Readonly<Record<SortKey, SortDirection>> = {
  status: 'asc',
  rank: 'asc',
  created: 'desc',
  updated: 'desc',
  priority: 'desc',
};

export interface ListFilters {
  status?: ProposalStatus;
  type?: ProposalType;
  priority?: Priority;
  q?: string;
}

/** Everything the list URL says: which proposals, in which order, which page. */
export interface ListView {
  filters: ListFilters;
  sort: SortKey;
  dir: SortDirection;
  page: number;
}

export interface ListedPage {
  items: ProposalSummary[];
  /** Proposals that match the filters, over every page. */
  matched: number;
  /** The page shown (a page past the end shows the last one). */
  page: number;
  pages: number;
  /** Under the rank sort: how pending proposals were ranked, and each one's place and reason. */
  ranked?: { method: Ranking['method']; basis: string; places: ReadonlyMap<string, { position: number; why: string }> };
}

function one(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function pick<T extends string>(allowed: readonly T[], value: unknown): T | undefined {
  const v = one(value);
  return v !== undefined && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** Unknown values are dropped, not refused: a hand-edited URL still shows a list. */
export function parseFilters(query: Record<string, unknown>): ListFilters {
  const status = pick(STATUSES, query.status);
  const type = pick(PROPOSAL_TYPES, query.type);
  const priority = pick(PRIORITIES, query.priority);
  const q = one(query.q)?.slice(0, 200);
  return { ...(status ? { status } : {}), ...(type ? { type } : {}), ...(priority ? { priority } : {}), ...(q ? { q } : {}) };
}

export function parseListView(query: Record<string, unknown>): ListView {
  const sort = pick(SORTS, query.sort) ?? 'status';
  const dir = pick(['asc', 'desc'] as const, query.dir) ?? DEFAULT_DIRECTION[sort];
  const page = Number(one(query.page));
  return { filters: parseFilters(query), sort, dir, page: Number.isSafeInteger(page) && page >= 1 ? page : 1 };
}

/** The list's URL for a view: defaults are left out, so the plain list stays `/proposals`. */
export function listHref(view: ListView, base = '/proposals'): string {
  const params = new URLSearchParams();
  for (const key of ['status', 'type', 'priority', 'q'] as const) {
    const value = view.filters[key];
    if (value) params.set(key, value);
  }
  if (view.sort !== 'status') params.set('sort', view.sort);
  if (view.dir !== DEFAULT_DIRECTION[view.sort]) params.set('dir', view.dir);
  if (view.page > 1) params.set('page', String(view.page));
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

/** A pending proposal's place in the ranking; every other one after them all, in status order. */
type Places = ReadonlyMap<string, { position: number }>;

function primaryKey(sort: SortKey, p: ProposalSummary, places?: Places): number {
  if (sort === 'rank') return places?.get(p.id)?.position ?? Number.MAX_SAFE_INTEGER / 2 + STATUS_RANK[p.status];
  if (sort === 'status') return STATUS_RANK[p.status];
  if (sort === 'priority') return PRIORITIES.indexOf(p.priority);
  return Date.parse(sort === 'created' ? p.createdAt : p.updatedAt);
}

/**
 * The list in the view's order. Ties go newest first, then by id, so that every page of one order
 * is cut from the same sequence. Keys are computed once per proposal, not once per comparison.
 */
export function sortProposals(items: readonly ProposalSummary[], sort: SortKey, dir: SortDirection, places?: Places): ProposalSummary[] {
  const sign = dir === 'asc' ? 1 : -1;
  return items
    .map((p) => ({ p, key: primaryKey(sort, p, places), created: Date.parse(p.createdAt) }))
    .sort((a, b) => sign * (a.key - b.key) || b.created - a.created || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0))
    .map((k) => k.p);
}

/**
 * Every stored proposal of a status and type, read page by page. A proposal filed while the pages
 * are read pushes one row onto the next page, so rows are kept by id; one swept meanwhile may shift
 * a row past this read, and the next refresh shows it.
 */
async function readAll(
  store: Pick<ProposalStore, 'list'>,
  query: { status?: ProposalStatus; type?: ProposalType },
): Promise<ProposalSummary[]> {
  const byId = new Map<string, ProposalSummary>();
  for (let offset = 0; ; offset += STORE_PAGE) {
    const result = await store.list({ ...query, limit: STORE_PAGE, offset });
    for (const p of result.items) byId.set(p.id, p);
    if (result.items.length < STORE_PAGE || offset + STORE_PAGE >= result.total) break;
  }
  return [...byId.values()];
}

async function storePage(store: Pick<ProposalStore, 'list'>, view: ListView, sort: 'status' | 'created'): Promise<ListedPage> {
  const { status, type } = view.filters;
  const query = { ...(status ? { status } : {}), ...(type ? { type } : {}), sort, direction: view.dir, limit: PAGE_SIZE };
  let result = await store.list({ ...query, offset: (view.page - 1) * PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const page = Math.min(view.page, pages);
  // A page past the end (a bookmark from when there were more) shows the last one.
  if (page !== view.page) result = await store.list({ ...query, offset: (page - 1) * PAGE_SIZE });
  return { items: result.items, matched: result.total, page, pages };
}

function matchesText(p: ProposalSummary, needle: string): boolean {
  return [p.id, p.title, p.summary, p.subject?.endpoint ?? '', ...(p.subject?.files ?? [])].some((t) => t.toLowerCase().includes(needle));
}

/**
 * One page of the list over all stored proposals. Filtered by status and type and sorted by status
 * or creation time (the default view and most others), it is one page the store reads from its
 * index; with a priority, a text search or a sort the store does not keep, every proposal of the
 * status and type is read and filtered, sorted and cut here. The rank sort orders pending
 * proposals as `rank` (the learned ranking, or the fixed rule it falls back to) does.
 */
export async function listProposals(
  store: Pick<ProposalStore, 'list'>,
  view: ListView,
  rank?: () => Promise<Ranking>,
): Promise<ListedPage> {
  const { filters } = view;
  if (!filters.priority && !filters.q && (view.sort === 'status' || view.sort === 'created')) return storePage(store, view, view.sort);
  const [all, ranking] = await Promise.all([
    readAll(store, {
      ...(filters.status ? { status: filters.status } : {}),
      ...(filters.type ? { type: filters.type } : {}),
    }),
    view.sort === 'rank' && rank ? rank() : undefined,
  ]);
  const places = ranking ? new Map(ranking.ranked.map((r) => [r.proposal.id, { position: r.position, why: r.why }])) : undefined;
  const needle = filters.q?.toLowerCase();
  const matched = sortProposals(
    all.filter((p) => (!filters.priority || p.priority === filters.priority) && (!needle || matchesText(p, needle))),
    view.sort,
    view.dir,
    places,
  );
  const pages = Math.max(1, Math.ceil(matched.length / PAGE_SIZE));
  const page = Math.min(view.page, pages);
  return {
    items: matched.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    matched: matched.length,
    page,
    pages,
    ...(ranking && places ? { ranked: { method: ranking.method, basis: ranking.basis, places } } : {}),
  };
}
