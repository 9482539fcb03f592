import { html, type HtmlValue, type SafeHtml } from './html.ts';

/**
 * Links into the code host's web pages for branches, commits and `file:line`, worked out from
 * GIT_REMOTE when it is a GitHub or GitLab URL (https, `git@host:path` or `ssh://`). Anything else
 * (a remote name, a file path, another host) gives no links: text stays text.
 */
export interface CodeHost {
  kind: 'github' | 'gitlab';
  /** e.g. https://github.com/acme/shop */
  webUrl: string;
  /** The branch `file:line` links point into when no commit is known (BASE_BRANCH). */
  ref: string;
}

const SCP_LIKE = /^[\w.-]+@([\w.-]+):(.+)$/;

export function codeHostFromRemote(remote: string | undefined, ref: string): CodeHost | null {
  if (!remote) return null;
  let host: string;
  let repoPath: string;
  const scp = SCP_LIKE.exec(remote.trim());
  if (scp && !remote.includes('://')) {
    host = scp[1]!;
    repoPath = scp[2]!;
  } else {
    let url: URL;
    try {
      url = new URL(remote.trim());
    } catch {
      return null;
    }
    if (!['https:', 'http:', 'ssh:'].includes(url.protocol)) return null;
    host = url.hostname;
    repoPath = url.pathname;
  }
  const kind = host === 'github.com' ? 'github' : /(^|\.)gitlab\./.test(host) || host === 'gitlab.com' ? 'gitlab' : null;
  const clean = repoPath
    .replace(/^\/+/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  // owner/repo at least; GitLab groups nest (group/sub/repo).
  if (!kind || !/^[\w.-]+(\/[\w.-]+)+$/.test(clean) || (kind === 'github' && clean.split('/').length !== 2)) return null;
  return { kind, webUrl: `https://${host}/${clean}`, ref };
}

const segment = (kind: CodeHost['kind'], what: string) => (kind === 'gitlab' ? `/-/${what}/` : `/${what}/`);
const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');

export function branchUrl(host: CodeHost, branch: string): string {
  return `${host.webUrl}${segment(host.kind, 'tree')}${encodePath(branch)}`;
}

export function commitUrl(host: CodeHost, sha: string): string {
  return `${host.webUrl}${segment(host.kind, 'commit')}${encodeURIComponent(sha)}`;
}

export function fileUrl(host: CodeHost, file: string, line?: number, ref = host.ref): string {
  return `${host.webUrl}${segment(host.kind, 'blob')}${encodePath(ref)}/${encodePath(file.replace(/^\.?\//, ''))}${line ? `#L${line}` : ''}`;
}

function link(url: string, text: HtmlValue): SafeHtml {
  return html`<a href="${url}" rel="noopener noreferrer" target="_blank">${text}</a>`;
}

// A repository path with an extension, then :line (or :start-end), e.g. src/orders/format.js:12.
const FILE_LINE = /([A-Za-z0-9_][A-Za-z0-9_./-]*\.[A-Za-z0-9]+):(\d+)(?:-\d+)?/g;
const SHA = /^[0-9a-f]{7,40}\b/;

/**
 * Evidence text with its `file:line` references (and a leading commit sha, as in "suspect commit")
 * turned into links; without a code host, the text as it was.
 */
export function linkCodeReferences(text: string, host: CodeHost | null | undefined): HtmlValue {
  if (!host) return text;
  const parts: HtmlValue[] = [];
  let rest = text;
  const sha = SHA.exec(rest);
  if (sha) {
    parts.push(link(commitUrl(host, sha[0]), sha[0]));
    rest = rest.slice(sha[0].length);
  }
  let last = 0;
  for (const match of rest.matchAll(FILE_LINE)) {
    if (match[1]!.includes('..') || match[1]!.startsWith('/')) continue;
    parts.push(rest.slice(last, match.index));
    parts.push(link(fileUrl(host, match[1]!, Number(match[2])), match[0]));
    last = match.index + match[0].length;
  }
  parts.push(rest.slice(last));
  return parts;
}

export function branchLink(host: CodeHost | null | undefined, branch: string): HtmlValue {
  return host ? link(branchUrl(host, branch), html`<code>${branch}</code>`) : html`<code>${branch}</code>`;
}

export function commitLink(host: CodeHost | null | undefined, sha: string): HtmlValue {
  return host ? link(commitUrl(host, sha), html`<code>${sha}</code>`) : html`<code>${sha}</code>`;
}
