import { html, type SafeHtml } from './html.ts';

/** Page numbers shown around the current one; the first and last are always shown. */
const AROUND = 2;

/** Previous, numbered and next links; nothing when everything fits on one page. */
export function pager(current: number, pages: number, href: (page: number) => string): SafeHtml | '' {
  if (pages <= 1) return '';
  const shown = [...new Set([1, ...Array.from({ length: 2 * AROUND + 1 }, (_, i) => current - AROUND + i), pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
  const items: SafeHtml[] = [];
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1]! > 1) items.push(html`<span class="gap">…</span>`);
    items.push(n === current ? html`<span aria-current="page">${n}</span>` : html`<a href="${href(n)}">${n}</a>`);
  });
  return html`<nav class="pager" aria-label="Pages">
    ${current > 1 ? html`<a rel="prev" href="${href(current - 1)}">← Previous</a>` : html`<span class="disabled">← Previous</span>`}
    ${items} ${current < pages ? html`<a rel="next" href="${href(current + 1)}">Next →</a>` : html`<span class="disabled">Next →</span>`}
  </nav>`;
}
