/**
 * The application's own frames in a Node.js / V8 stack trace: the code we could change. Frames in
 * dependencies (node_modules) and in Node itself (node:*, internal/*) are skipped.
 */

export interface StackFrame {
  /** `<anonymous>` for `at file:line:col` frames; `async ` and ` [as alias]` are dropped. */
  function: string;
  /** Relative to the first matching app root, with forward slashes; otherwise as written. */
  file: string;
  line: number;
  column: number;
}

export interface InAppFrameOptions {
  /** Absolute checkout directories, e.g. ['/srv/app']; `file://` URLs and Windows paths are accepted. */
  appRoots?: string[];
  /** At most this many frames, from the top. */
  limit?: number;
}

// `at [async ]fn (location)` or `at [async ]location`; the location ends in :line:col.
const NAMED_FRAME = /^\s*at\s+(?:async\s+)?(.*?)\s+\((.*):(\d+):(\d+)\)\s*$/;
const BARE_FRAME = /^\s*at\s+(?:async\s+)?(.*):(\d+):(\d+)\s*$/;

export function topInAppFrames(stack: string, options: InAppFrameOptions = {}): StackFrame[] {
  const roots = (options.appRoots ?? []).map((root) => withTrailingSlash(normalizePath(root)));
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const frame = parseFrame(line);
    if (!frame || !isInApp(frame.file)) continue;
    const file = normalizePath(frame.file);
    const root = roots.find((candidate) => file.startsWith(candidate));
    frames.push({ ...frame, file: root ? file.slice(root.length) : file });
    if (frames.length >= (options.limit ?? Infinity)) break;
  }
  return frames;
}

function parseFrame(line: string): StackFrame | undefined {
  const named = NAMED_FRAME.exec(line);
  if (named) {
    const [, fn = '', file = '', lineNo = '0', column = '0'] = named;
    // `eval at fn (file:1:2), <anonymous>` points into generated code, not a file we own.
    if (file.includes(', <anonymous>') || file.startsWith('eval at ')) return undefined;
    return { function: fn.replace(/\s+\[as [^\]]+\]$/, ''), file, line: Number(lineNo), column: Number(column) };
  }
  const bare = BARE_FRAME.exec(line);
  if (bare) {
    const [, file = '', lineNo = '0', column = '0'] = bare;
    return { function: '<anonymous>', file, line: Number(lineNo), column: Number(column) };
  }
  return undefined;
}

function isInApp(file: string): boolean {
  const path = normalizePath(file);
  return !(path.startsWith('node:') || path.startsWith('internal/') || path.includes('/node_modules/') || path.startsWith('node_modules/'));
}

function normalizePath(path: string): string {
  let normalized = path.startsWith('file://') ? decodeURIComponent(path.slice('file://'.length)) : path;
  // file:///C:/app/x.js reads /C:/app/x.js once the scheme is gone.
  if (/^\/[a-zA-Z]:\//.test(normalized)) normalized = normalized.slice(1);
  return normalized.replaceAll('\\', '/');
}

function withTrailingSlash(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}
