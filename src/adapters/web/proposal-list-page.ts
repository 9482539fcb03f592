import { PRIORITIES, PROPOSAL_TYPES, STATUSES, type Priority, type ProposalStatus, type ProposalType } from '../../domain/proposal.ts';
import type { ProposalStore, ProposalSummary } from '../../ports/store.ts';
import { html, type SafeHtml } from './html.ts';
import { formatTime, page, statusBadge, type Viewer } from './layout.ts';

/** The store lists at most 500 at once; priority and text are filtered here, over that page. */
const FETCH_LIMIT = 500;

export interface ListFilters {
  status?: ProposalStatus;
  type?: ProposalType;
  priority?: Priority;
  q?: string;
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

export async function listProposals(
  store: ProposalStore,
  filters: ListFilters,
): Promise<{ items: ProposalSummary[]; scanned: number; total: number }> {
  const result = await store.list({
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.type ? { type: filters.type } : {}),
    limit: FETCH_LIMIT,
    offset: 0,
  });
  const needle = filters.q?.toLowerCase();
  const items = result.items.filter(
    (p) =>
      (!filters.priority || p.priority === filters.priority) &&
      (!needle ||
        [p.id, p.title, p.summary, p.subject?.endpoint ?? '', ...(p.subject?.files ?? [])].some((t) => t.toLowerCase().includes(needle))),
  );
  return { items, scanned: result.items.length, total: result.total };
}

function select(name: string, label: string, options: readonly string[], current: string | undefined): SafeHtml {
  return html`<label>${label}
  <select name="${name}"><option value="">any</option>${options.map(
    (o) => html`<option value="${o}"${o === current ? html` selected` : ''}>${o.replace('_', ' ')}</option>`,
  )}</select></label>`;
}

export function proposalListPage(options: {
  viewer: Viewer;
  filters: ListFilters;
  items: ProposalSummary[];
  scanned: number;
  total: number;
}): SafeHtml {
  const { filters, items } = options;
  return page({
    title: 'Proposals',
    viewer: options.viewer,
    active: 'proposals',
    body: html`<h1>Proposals</h1>
<form class="filters" method="get" action="/proposals" role="search">
  ${select('status', 'Status', STATUSES, filters.status)}
  ${select('type', 'Type', PROPOSAL_TYPES, filters.type)}
  ${select('priority', 'Priority', PRIORITIES, filters.priority)}
  <label>Text <input type="search" name="q" value="${filters.q ?? ''}" placeholder="title, summary, endpoint, file"></label>
  <button type="submit">Filter</button> <a href="/proposals">Clear</a>
</form>
<p class="count">${items.length} shown${options.total > options.scanned ? html` (of the newest ${options.scanned} of ${options.total} stored; narrow by status or type to see older ones)` : ''}</p>
${
  items.length
    ? html`<table class="proposals">
<thead><tr><th>Title</th><th>Type</th><th>Priority</th><th>Status</th><th>Created</th><th>Updated</th></tr></thead>
<tbody>${items.map(
        (p) => html`<tr>
<td><a href="/proposals/${encodeURIComponent(p.id)}">${p.title}</a><div class="sub">${p.id}${p.subject?.endpoint ? html` · ${p.subject.endpoint}` : ''}${p.hasPatch ? html` · <span class="tag">patch</span>` : ''}</div></td>
<td>${p.type.replace('_', ' ')}${p.category ? html`<div class="sub">${p.category}</div>` : ''}</td>
<td><span class="priority priority-${p.priority}">${p.priority}</span></td>
<td>${statusBadge(p.status)}</td>
<td>${formatTime(p.createdAt)}</td>
<td>${formatTime(p.updatedAt)}</td>
</tr>`,
      )}</tbody></table>`
    : html`<p class="empty">No proposal matches these filters.</p>`
}`,
  });
}
