import { PRIORITIES, PROPOSAL_TYPES, STATUSES } from '../../domain/proposal.ts';
import type { ProposalSummary } from '../../ports/store.ts';
import { html, type SafeHtml } from './html.ts';
import { formatTime, page, statusBadge, type Viewer } from './layout.ts';
import { DEFAULT_DIRECTION, listHref, PAGE_SIZE, SORTS, type ListedPage, type ListView, type SortKey } from './proposal-listing.ts';
import { pager } from './pager.ts';

/** Where the list's live fragment is read from; the same query as the page. */
export const LIST_FRAGMENT = '/fragments/proposals';

const SORT_LABELS: Readonly<Record<SortKey, string>> = {
  status: 'status (pending first)',
  rank: 'likely approved first',
  created: 'created',
  updated: 'updated',
  priority: 'priority',
};

function select(name: string, label: string, options: readonly string[], current: string | undefined, any = true): SafeHtml {
  return html`<label
    >${label}
    <select name="${name}">
      ${any ? html`<option value="">any</option>` : ''}
      ${options.map((o) => html`<option value="${o}" ${o === current ? html` selected` : ''}>${o.replace('_', ' ')}</option>`)}
    </select></label
  >`;
}

/** A column heading that sorts by it; a second click on the sorted column turns the order round. */
function sortHeading(view: ListView, sort: SortKey, label: string): SafeHtml {
  const current = view.sort === sort;
  const dir = current ? (view.dir === 'asc' ? 'desc' : 'asc') : DEFAULT_DIRECTION[sort];
  const ariaSort = current ? (view.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  return html`<th aria-sort="${ariaSort}">
    <a class="sort" href="${listHref({ ...view, sort, dir, page: 1 })}">${label}${current ? (view.dir === 'asc' ? ' ▲' : ' ▼') : ''}</a>
  </th>`;
}

function row(p: ProposalSummary, place?: { position: number; why: string }): SafeHtml {
  return html`<tr data-id="${p.id}">
    <td data-label="Title">
      <a href="/proposals/${encodeURIComponent(p.id)}">${p.title}</a>
      <div class="sub">
        ${p.id}${p.subject?.endpoint ? html` · ${p.subject.endpoint}` : ''}${p.hasPatch ? html` · <span class="tag">patch</span>` : ''}
      </div>
      ${place ? html`<div class="sub rank">#${place.position} · ${place.why}</div>` : ''}
    </td>
    <td data-label="Type">${p.type.replace('_', ' ')}${p.category ? html`<div class="sub">${p.category}</div>` : ''}</td>
    <td data-label="Priority"><span class="priority priority-${p.priority}">${p.priority}</span></td>
    <td data-label="Status">${statusBadge(p.status)}</td>
    <td data-label="Created">${formatTime(p.createdAt)}</td>
    <td data-label="Updated">${formatTime(p.updatedAt)}</td>
  </tr>`;
}

/**
 * The part of the list that refreshes itself: htmx reads the same view from the fragment route
 * every few seconds and swaps this element for the answer (which carries the same polling).
 */
export function proposalListFragment(options: { view: ListView; listed: ListedPage; refreshSeconds: number }): SafeHtml {
  const { listed } = options;
  const view = { ...options.view, page: listed.page };
  const first = (listed.page - 1) * PAGE_SIZE + 1;
  const last = first + listed.items.length - 1;
  return html`<div
    id="proposal-list"
    hx-get="${listHref(view, LIST_FRAGMENT)}"
    hx-trigger="every ${options.refreshSeconds}s"
    hx-swap="outerHTML"
  >
    <p class="count">
      ${
        listed.matched
          ? html`${first}–${last} of ${listed.matched}
            proposal${listed.matched === 1 ? '' : 's'}${listed.pages > 1 ? html` · page ${listed.page} of ${listed.pages}` : ''}`
          : '0 proposals'
      }
    </p>
    ${listed.ranked ? html`<p class="sub ranking-basis">Pending ranked by ${listed.ranked.method === 'learned' ? 'a model' : 'the fixed rule'}: ${listed.ranked.basis}</p>` : ''}
    ${
      listed.items.length
        ? html`<div class="table-scroll">
            <table class="proposals">
              <thead>
                <tr>
                  <th>Title</th>
                  <th>Type</th>
                  ${sortHeading(view, 'priority', 'Priority')} ${sortHeading(view, 'status', 'Status')}
                  ${sortHeading(view, 'created', 'Created')} ${sortHeading(view, 'updated', 'Updated')}
                </tr>
              </thead>
              <tbody>
                ${listed.items.map((p) => row(p, listed.ranked?.places.get(p.id)))}
              </tbody>
            </table>
          </div>`
        : html`<p class="empty">No proposal matches these filters.</p>`
    }
    ${pager(listed.page, listed.pages, (n) => listHref({ ...view, page: n }))}
  </div>`;
}

export function proposalListPage(options: { viewer: Viewer; view: ListView; listed: ListedPage; refreshSeconds: number }): SafeHtml {
  const { filters } = options.view;
  return page({
    title: 'Proposals',
    viewer: options.viewer,
    active: 'proposals',
    live: true,
    body: html`<h1>Proposals</h1>
      <form class="filters" method="get" action="/proposals" role="search">
        ${select('status', 'Status', STATUSES, filters.status)} ${select('type', 'Type', PROPOSAL_TYPES, filters.type)}
        ${select('priority', 'Priority', PRIORITIES, filters.priority)}
        <label>Text <input type="search" name="q" value="${filters.q ?? ''}" placeholder="title, summary, endpoint, file" /></label>
        <label
          >Sort
          <select name="sort">
            ${SORTS.map((s) => html`<option value="${s}" ${s === options.view.sort ? html` selected` : ''}>${SORT_LABELS[s]}</option>`)}
          </select></label
        >
        <button type="submit">Filter</button> <a href="/proposals">Clear</a>
      </form>
      ${proposalListFragment(options)}`,
  });
}
