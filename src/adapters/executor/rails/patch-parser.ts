/**
 * Reads a unified or git diff into the facts the rails judge: paths (both sides, unquoted as git
 * quotes them), modes (symlink 120000, gitlink 160000, executable 100755), renames and copies,
 * binary content and changed-line counts. parse-diff drops the extended headers; they are what
 * a hostile patch hides in, so this parser keeps them. Pure: no I/O.
 *
 * Hunks are consumed by their line counts, as `git apply` does, so a line that looks like a header
 * inside a hunk's body is content, not a new file. Anything the parser does not understand is kept
 * as a problem; the rails refuse a patch with problems rather than guess.
 */

export interface FileChange {
  /** Path before the change, repository-relative (null for a new file). */
  oldPath: string | null;
  /** Path after the change (null for a deleted file). */
  newPath: string | null;
  kind: 'add' | 'delete' | 'modify' | 'rename' | 'copy';
  oldMode?: string;
  newMode?: string;
  binary: boolean;
  added: number;
  removed: number;
  /** The lines a hunk adds, without their '+' (for a symlink: its target). */
  addedLines: string[];
  /** Raw hunks, kept to replay a change on a known file (package.json scripts check). */
  hunks: Hunk[];
  /** Raw path texts as they appeared in headers, to flag an absolute or traversing path before stripping. */
  rawPaths: string[];
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

export interface ParsedPatch {
  files: FileChange[];
  /** Lines the parser could not place; a patch with problems is refused. */
  problems: string[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parsePatch(text: string): ParsedPatch {
  // Only \n splits lines: a \r left on a header line is part of the path and gets refused as such.
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const files: FileChange[] = [];
  const problems: string[] = [];
  let current: FileChange | null = null;
  let gitHeader = false;
  let i = 0;

  const startFile = (git: boolean): FileChange => {
    const file: FileChange = {
      oldPath: null,
      newPath: null,
      kind: 'modify',
      binary: false,
      added: 0,
      removed: 0,
      addedLines: [],
      hunks: [],
      rawPaths: [],
    };
    files.push(file);
    gitHeader = git;
    return file;
  };

  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith('diff --git ')) {
      current = startFile(true);
      const names = splitGitHeaderNames(line.slice('diff --git '.length));
      if (!names) problems.push(`unreadable header: ${printable(line)}`);
      else {
        current.rawPaths.push(names[0], names[1]);
        current.oldPath = stripPrefix(names[0]);
        current.newPath = stripPrefix(names[1]);
      }
      i++;
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      if (!current || !gitHeader || current.hunks.length > 0 || current.binary) current = startFile(false);
      const oldRaw = headerPath(line.slice(4));
      const newRaw = headerPath(lines[i + 1]!.slice(4));
      if (oldRaw === null || newRaw === null) problems.push(`unreadable file names: ${printable(line)}`);
      else {
        current.rawPaths.push(oldRaw, newRaw);
        const oldPath = oldRaw === '/dev/null' ? null : stripPrefix(oldRaw);
        const newPath = newRaw === '/dev/null' ? null : stripPrefix(newRaw);
        if (
          gitHeader &&
          current.kind === 'modify' &&
          (oldPath !== current.oldPath || newPath !== current.newPath) &&
          oldPath !== null &&
          newPath !== null
        ) {
          problems.push(`file names differ from the diff --git header: ${printable(line)}`);
        }
        if (oldPath === null) current.kind = 'add';
        if (newPath === null) current.kind = 'delete';
        current.oldPath = oldPath;
        current.newPath = newPath;
      }
      i += 2;
      continue;
    }
    const hunk = HUNK_HEADER.exec(line);
    if (hunk) {
      if (!current) {
        problems.push(`hunk without a file: ${printable(line)}`);
        i++;
        continue;
      }
      i = readHunk(lines, i, hunk, current, problems);
      continue;
    }
    if (current && gitHeader && current.hunks.length === 0 && readExtendedHeader(line, current, problems)) {
      i++;
      continue;
    }
    if (current && current.binary && /^(literal|delta) \d+$/.test(line)) {
      // Base85 body of a GIT binary patch: skip to the blank line that ends each block.
      while (i < lines.length && lines[i] !== '') i++;
      i++;
      continue;
    }
    // git apply skips text between patches (mail headers, commit messages); so do we, but a
    // stray line after hunks began is worth refusing since git might read it differently.
    if (current && current.hunks.length > 0 && line.trim() !== '') problems.push(`unexpected line after a hunk: ${printable(line)}`);
    i++;
  }
  return { files, problems };
}

function readHunk(lines: string[], start: number, match: RegExpExecArray, file: FileChange, problems: string[]): number {
  const hunk: Hunk = {
    oldStart: Number(match[1]),
    oldLines: match[2] === undefined ? 1 : Number(match[2]),
    newStart: Number(match[3]),
    newLines: match[4] === undefined ? 1 : Number(match[4]),
    lines: [],
  };
  let oldLeft = hunk.oldLines;
  let newLeft = hunk.newLines;
  let i = start + 1;
  while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
    const line = lines[i]!;
    const tag = line[0];
    if (tag === ' ' || line === '') {
      oldLeft--;
      newLeft--;
    } else if (tag === '-') {
      oldLeft--;
      file.removed++;
    } else if (tag === '+') {
      newLeft--;
      file.added++;
      file.addedLines.push(line.slice(1));
    } else if (tag !== '\\') {
      problems.push(`hunk shorter than its header says in ${file.newPath ?? file.oldPath}`);
      break;
    }
    hunk.lines.push(line);
    i++;
  }
  if (oldLeft > 0 || newLeft > 0) problems.push(`hunk cut short by the end of the patch in ${file.newPath ?? file.oldPath}`);
  if (oldLeft < 0 || newLeft < 0) problems.push(`hunk longer than its header says in ${file.newPath ?? file.oldPath}`);
  while (i < lines.length && lines[i]!.startsWith('\\')) hunk.lines.push(lines[i++]!);
  file.hunks.push(hunk);
  return i;
}

function readExtendedHeader(line: string, file: FileChange, problems: string[]): boolean {
  const field = (prefix: string) => (line.startsWith(prefix) ? line.slice(prefix.length) : null);
  let value: string | null;
  if ((value = field('old mode ')) !== null) file.oldMode = value;
  else if ((value = field('new mode ')) !== null) file.newMode = value;
  else if ((value = field('new file mode ')) !== null) {
    file.kind = 'add';
    file.newMode = value;
    file.oldPath = null;
  } else if ((value = field('deleted file mode ')) !== null) {
    file.kind = 'delete';
    file.oldMode = value;
    file.newPath = null;
  } else if ((value = field('rename from ') ?? field('rename old ') ?? field('copy from ')) !== null) {
    // git apply reads `rename old`/`rename new` as synonyms of `rename from`/`rename to`.
    file.kind = line.startsWith('rename') ? 'rename' : 'copy';
    const name = unquote(value);
    if (name === null) problems.push(`unreadable name: ${printable(line)}`);
    else {
      file.rawPaths.push(name);
      file.oldPath = name;
    }
  } else if ((value = field('rename to ') ?? field('rename new ') ?? field('copy to ')) !== null) {
    const name = unquote(value);
    if (name === null) problems.push(`unreadable name: ${printable(line)}`);
    else {
      file.rawPaths.push(name);
      file.newPath = name;
    }
  } else if ((value = field('index ')) !== null) {
    const mode = /^[0-9a-f]+\.\.[0-9a-f]+ (\d{6})$/.exec(value);
    if (mode) {
      file.oldMode ??= mode[1];
      file.newMode ??= mode[1];
    }
  } else if (line.startsWith('similarity index ') || line.startsWith('dissimilarity index ')) {
    // Only a measure; the names come with rename/copy lines.
  } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
    file.binary = true;
  } else return false;
  return true;
}

/** `a/x b/x`, `"a/x y" "b/x y"` or a mix; null when the two names cannot be told apart. */
function splitGitHeaderNames(rest: string): [string, string] | null {
  if (rest.startsWith('"')) {
    const end = closingQuote(rest);
    if (end < 0) return null;
    const first = unquote(rest.slice(0, end + 1));
    const second = headerPath(rest.slice(end + 2));
    return first !== null && second !== null ? [first, second] : null;
  }
  if (rest.endsWith('"')) {
    const open = rest.lastIndexOf(' "');
    const second = open < 0 ? null : unquote(rest.slice(open + 1));
    return open < 0 || second === null ? null : [rest.slice(0, open), second];
  }
  // Unquoted names may hold spaces; the two names of a non-rename are equal after their prefixes.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ' && rest.slice(2, half) === rest.slice(half + 3)) {
    return [rest.slice(0, half), rest.slice(half + 1)];
  }
  const space = rest.indexOf(' b/');
  return space < 0 ? null : [rest.slice(0, space), rest.slice(space + 1)];
}

/**
 * The name on a ---/+++ line: quoted, or up to a tab, or (as git's find_name_traditional does)
 * before a trailing timestamp separated by a space: `a/x 2026-01-01 00:00:00 +0000`.
 */
function headerPath(raw: string): string | null {
  if (raw.startsWith('"')) return unquote(raw.slice(0, closingQuote(raw) + 1));
  const tab = raw.indexOf('\t');
  if (tab >= 0) return raw.slice(0, tab);
  const stamp = TRAILING_TIMESTAMP.exec(raw);
  return stamp ? raw.slice(0, stamp.index) : raw;
}

/** The timestamp git's diff_timestamp_len strips (checked against git apply by parser-agrees-with-git.test.ts): ISO with an optional zone; not ctime. */
const TRAILING_TIMESTAMP = / +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d\d:?\d\d)?$/;

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Git's C-style quoting: `"a/\303\251 x"` → the UTF-8 bytes of `a/é x`. Unquoted text is returned as is. */
export function unquote(text: string): string | null {
  if (!text.startsWith('"')) return text;
  if (!text.endsWith('"') || text.length < 2) return null;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[++i];
    if (next === undefined) return null;
    if (/[0-7]/.test(next)) {
      const octal = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(octal)) return null;
      bytes.push(parseInt(octal, 8));
      i += 2;
    } else if (ESCAPES[next] !== undefined) bytes.push(ESCAPES[next]);
    else return null;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** -p1, as git apply does by default: drops the first component (`a/`, `b/`, or any directory). */
function stripPrefix(raw: string): string {
  const slash = raw.indexOf('/');
  return slash < 0 ? raw : raw.slice(slash + 1);
}

/** A header line as it can be shown in a reason: control characters made visible, length capped. */
export function printable(text: string): string {
  const shown = JSON.stringify(text.slice(0, 200)).slice(1, -1);
  return text.length > 200 ? `${shown}…` : shown;
}
