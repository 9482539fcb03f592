import { Marked, type Tokens } from 'marked';
import { escapeHtml, trusted, type SafeHtml } from './html.ts';

/**
 * Markdown for text a model or a template wrote (plans, risk, summary). Models can emit HTML, and
 * no sanitizer runs here, so raw HTML is shown as text, links keep only web and mail schemes, and
 * images become their alt text (the page loads nothing from elsewhere).
 */
const SAFE_HREF = /^(https?:|mailto:)/i;

const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const text = this.parser.parseInline(tokens);
      if (!SAFE_HREF.test(href.trim())) return text;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href.trim())}"${titleAttr} rel="noopener noreferrer nofollow">${text}</a>`;
    },
    image({ text }: Tokens.Image): string {
      return escapeHtml(text);
    },
  },
});

export function renderMarkdown(source: string): SafeHtml {
  return trusted(markdown.parse(source, { async: false }));
}
