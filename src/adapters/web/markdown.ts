import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml, trusted, type SafeHtml } from './html.ts';

/**
 * Markdown for text a model, a template or telemetry wrote (plans, risk, summary, endpoint names).
 * Raw HTML is shown as text, links keep only web and mail schemes, and images become their alt
 * text (the page loads nothing from elsewhere). The renderer's escaping alone is not enough: after
 * an opening `<script>`, `<pre>`, `<code>` or `<kbd>` marked treats what follows as raw and passes
 * it through unescaped, so every result also goes through a sanitizer that keeps only the tags
 * Markdown itself produces and shows any other tag as text.
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
    // Text marked read inside a raw tag arrives marked as already escaped, and it is not.
    text(token: Tokens.Text | Tokens.Escape): string {
      if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
      // A backslash escape arrives escaped already; everything else is escaped here.
      return token.type === 'escape' ? token.text : escapeHtml(token.text);
    },
  },
});

const MARKDOWN_TAGS = [
  'p',
  'br',
  'hr',
  'em',
  'strong',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'input',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: MARKDOWN_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    // GFM task lists render a disabled checkbox.
    input: ['type', 'checked', 'disabled'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Another tag is shown as the text it is, so a reader sees what the data said.
  disallowedTagsMode: 'recursiveEscape',
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
};

export function renderMarkdown(source: string): SafeHtml {
  return trusted(sanitizeHtml(markdown.parse(source, { async: false }), SANITIZE));
}
