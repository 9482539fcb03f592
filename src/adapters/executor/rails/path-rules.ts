/**
 * Rules about a single repository-relative path, shared by the patch rails and the agent's file
 * tools. Pure: no I/O. Each rule names why, so a refusal reads as a sentence in Slack.
 */

export type PathRule = 'path-invalid' | 'path-traversal' | 'path-absolute' | 'path-non-ascii' | 'git-directory' | 'protected-path';

export interface PathRefusal {
  rule: PathRule;
  reason: string;
}

/**
 * Printable ASCII only. A look-alike (Cyrillic "і" in ".github"), a zero-width or bidi character
 * would slip past a protected-path glob while meaning the same thing to a person reading the diff.
 */
const SAFE_CHARACTERS = /^[\x20-\x7e]+$/;

/** `.git` in any case, and the forms other file systems fold into it (`.git.`, `.git `, NTFS `git~1`). */
const GIT_SEGMENT = /^(\.git[ .]*|git~\d+)$/i;

/** Paths never touchable whatever the configuration says: submodule wiring and git's own files. */
const ALWAYS_PROTECTED = ['.gitmodules'];

export function checkPath(path: string, protectedGlobs: readonly string[]): PathRefusal | null {
  if (path.length === 0 || path.length > 1024)
    return { rule: 'path-invalid', reason: `path ${JSON.stringify(path.slice(0, 80))} is empty or too long` };
  if (/[\0\r\n]/.test(path)) return { rule: 'path-invalid', reason: `path ${JSON.stringify(path)} contains a NUL or line break` };
  if (!SAFE_CHARACTERS.test(path))
    return {
      rule: 'path-non-ascii',
      reason: `path ${JSON.stringify(path)} has characters outside printable ASCII (look-alike or invisible characters are refused)`,
    };
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.startsWith('~'))
    return { rule: 'path-absolute', reason: `path ${path} is absolute` };
  if (path.includes('\\')) return { rule: 'path-invalid', reason: `path ${path} contains a backslash` };
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) return { rule: 'path-traversal', reason: `path ${path} leaves the repository (..)` };
  if (segments.some((s) => s === '' || s === '.')) return { rule: 'path-invalid', reason: `path ${path} has an empty or "." component` };
  if (segments.some((s) => GIT_SEGMENT.test(s))) return { rule: 'git-directory', reason: `path ${path} is inside .git` };
  const glob = [...ALWAYS_PROTECTED, ...protectedGlobs].find((g) => matchesProtected(path, g));
  if (glob) return { rule: 'protected-path', reason: `path ${path} is protected (${glob})` };
  return null;
}

/**
 * Protected-path globs, case-insensitive (a case-insensitive file system makes `.GitHub/` the same
 * folder): `dir/` protects that folder at any depth; a pattern without `/` matches a file or folder
 * name at any depth (`.env*`, `yarn.lock`); a pattern with an inner `/` is anchored at the root.
 */
export function matchesProtected(path: string, glob: string): boolean {
  const pattern = glob.trim();
  if (!pattern) return false;
  const segments = path.split('/');
  if (pattern.endsWith('/')) {
    const dir = globToRegExp(pattern.slice(0, -1));
    if (pattern.slice(0, -1).includes('/')) return segments.some((_, i) => i > 0 && dir.test(segments.slice(0, i).join('/')));
    return segments.slice(0, -1).some((s) => dir.test(s));
  }
  const regex = globToRegExp(pattern);
  if (!pattern.includes('/')) return segments.some((s) => regex.test(s));
  return regex.test(path) || segments.some((_, i) => i > 0 && regex.test(segments.slice(0, i).join('/')));
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}
