import { html, type HtmlValue, type SafeHtml } from './html.ts';

export const ASSETS = '/dashboard-assets';

export interface Viewer {
  actor: string;
  csrf: string;
}

export interface PageOptions {
  title: string;
  /** Absent on the sign-in page and on error pages shown to strangers. */
  viewer?: Viewer;
  active?: 'proposals' | 'charts';
  body: HtmlValue;
  /** The detail page needs diff2html's stylesheet and the highlighting script. */
  withDiff?: boolean;
  /** Pages with parts that refresh themselves load htmx (served by us, like every other script). */
  live?: boolean;
}

/**
 * htmx within the Content-Security-Policy: no <style> element of its own (style-src 'self'), no
 * eval of attribute code, no scripts run from swapped-in markup, no history snapshots.
 */
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, historyEnabled: false });

/** Every page's shell. No inline script or style anywhere: the Content-Security-Policy forbids both. */
export function page(options: PageOptions): SafeHtml {
  const { viewer, active } = options;
  const link = (href: string, name: 'proposals' | 'charts', label: string) =>
    html`<a href="${href}" ${active === name ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · improvement-loop</title>
        <link rel="icon" href="/favicon.ico" type="image/svg+xml" />
        ${options.withDiff ? html`<link rel="stylesheet" href="${ASSETS}/diff2html.min.css" />` : ''}
        <link rel="stylesheet" href="${ASSETS}/dashboard.css" />
        ${
          options.withDiff
            ? html`<script defer src="${ASSETS}/diff2html-ui-slim.min.js"></script>
                <script defer src="${ASSETS}/dashboard.js"></script>`
            : ''
        }
        ${
          options.live
            ? html`<meta name="htmx-config" content="${HTMX_CONFIG}" />
                <script defer src="${ASSETS}/htmx.min.js"></script>`
            : ''
        }
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/proposals">improvement-loop</a>
          ${
            viewer
              ? html`<nav>${link('/proposals', 'proposals', 'Proposals')}${link('/charts', 'charts', 'Charts')}</nav>
                  <form class="signout" method="post" action="/logout">
                    <input type="hidden" name="csrf" value="${viewer.csrf}" /><span class="actor">${viewer.actor}</span>
                    <button type="submit">Sign out</button>
                  </form>`
              : ''
          }
        </header>
        <main>${options.body}</main>
      </body>
    </html>`;
}

export function formatTime(iso: string | Date | undefined): string {
  if (!iso) return '';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function statusBadge(status: string): SafeHtml {
  return html`<span class="badge status-${status}">${status.replace('_', ' ')}</span>`;
}
