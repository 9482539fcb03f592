import { html as diffHtml, parse as parseDiff } from 'diff2html';
import { ColorSchemeType } from 'diff2html/lib/types.js';
import { html, trusted, type SafeHtml } from './html.ts';

/** Patches past this size are shown as plain text: diff2html's word matching is quadratic per hunk. */
const MAX_RENDERED_PATCH_CHARS = 400_000;

/**
 * A unified diff as diff2html's line-by-line table. diff2html escapes file names and line content
 * itself; the page's script adds syntax highlighting on top (reading works without it).
 */
export function renderDiff(patch: string): SafeHtml {
  if (patch.length > MAX_RENDERED_PATCH_CHARS) {
    return html`<p class="note">The patch is ${patch.length.toLocaleString('en')} characters; shown as plain text.</p><pre class="patch">${patch}</pre>`;
  }
  const files = parseDiff(patch);
  if (!files.length) return html`<pre class="patch">${patch}</pre>`;
  const markup = diffHtml(files, {
    drawFileList: true,
    outputFormat: 'line-by-line',
    matching: 'lines',
    diffStyle: 'word',
    // Follows prefers-color-scheme, like the rest of the dashboard.
    colorScheme: ColorSchemeType.AUTO,
  });
  return html`<div class="diff" data-diff>${trusted(markup)}</div>`;
}
