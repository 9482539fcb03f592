import type { SimpleGit } from 'simple-git';
import type { BlameLine, BlameOptions, CommitInfo, CommitQuery, FileChurn, RepositoryReader } from '../../../ports/repository.ts';
import { createGuardedSimpleGit } from '../git-runner.ts';
import { createCatFileBatch } from './cat-file-batch.ts';
import { NUMSTAT_FORMAT, parseNumstatLog } from './numstat-log.ts';
import { parseLinePorcelainBlame } from './porcelain-blame.ts';
import { checkRevision, normalizeRepositoryPath } from './repository-path.ts';
import { errorMessage } from '../../../domain/errors.ts';

/**
 * The target repository's own config is not trusted: the shared guards (git-runner.ts) keep its
 * hooks, fsmonitor, pager and editor from running as us. quotePath=false keeps non-ASCII names as
 * they are in blame output.
 */
const READER_CONFIG = ['core.quotePath=false'];

/** Flags that keep diff output to git's own counting: no external diff program, no textconv filter. */
const NO_DIFF_PROGRAMS = ['--no-ext-diff', '--no-textconv'];

/**
 * A read-only RepositoryReader over a git checkout. It reads objects (HEAD's tree, blobs, history)
 * and never the index or the working tree, so it runs no checkout, takes no index lock, and sees
 * exactly what was committed. Limits and path filters go to git, so a 10k-commit history is walked by git.
 */
export function createGitRepositoryReader(repoDir: string): RepositoryReader {
  const git: SimpleGit = createGuardedSimpleGit({ baseDir: repoDir, config: READER_CONFIG, maxConcurrentProcesses: 6 });
  // Pathspecs are taken literally: a file named ':(glob)**' or '*' means that file, never a pattern.
  const run = (args: string[]) => git.raw(['--literal-pathspecs', ...args]);

  const blobs = createCatFileBatch(repoDir, READER_CONFIG);

  async function readAt(revision: string, path: string): Promise<string | null> {
    // One cat-file process for every read of a cycle; a name with a line break cannot go through its input.
    if (!/[\r\n]/.test(path) && !/[\r\n]/.test(revision)) return blobs.read(`${revision}:${path}`);
    try {
      return await run(['cat-file', 'blob', `${revision}:${path}`]);
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw error;
    }
  }

  return {
    async listFiles() {
      const output = await run(['ls-tree', '-r', '-z', '--full-tree', 'HEAD']);
      const files: string[] = [];
      for (const entry of output.split('\0')) {
        const tab = entry.indexOf('\t');
        // `<mode> <type> <object>\t<path>`; submodules are `commit` entries, not files we can read.
        if (tab !== -1 && entry.slice(0, tab).split(' ')[1] === 'blob') files.push(entry.slice(tab + 1));
      }
      return files;
    },

    async readFile(path) {
      return readAt('HEAD', normalizeRepositoryPath(path));
    },

    async commitsTouching(paths, options: CommitQuery = {}) {
      const pathspecs = paths.map(normalizeRepositoryPath);
      const args = ['log', '-z', '--numstat', '-M', '--full-diff', ...NO_DIFF_PROGRAMS, NUMSTAT_FORMAT, ...dateLimits(options)];
      if (options.limit !== undefined) args.push(`--max-count=${Math.max(0, Math.floor(options.limit))}`);
      args.push('HEAD', '--', ...pathspecs);
      return withinDates(parseNumstatLog(await run(args)), options);
    },

    async blame(path, lines, options: BlameOptions = {}) {
      const file = normalizeRepositoryPath(path);
      const revision = checkRevision(options.at ?? 'HEAD');
      const text = await readAt(revision, file);
      if (text === null || lines.length === 0) return [];
      const lineCount = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
      const wanted = [...new Set(lines.filter((n) => Number.isInteger(n) && n >= 1 && n <= lineCount))].sort((a, b) => a - b);
      if (wanted.length === 0) return [];
      const ranges = toRanges(wanted).flatMap(([from, to]) => ['-L', `${from},${to}`]);
      const output = await run(['blame', '--line-porcelain', '--no-textconv', ...ranges, revision, '--', file]);
      const blamed: BlameLine[] = parseLinePorcelainBlame(output);
      return blamed.filter((line) => wanted.includes(line.line));
    },

    async churn(since, until) {
      const args = [
        'log',
        '-z',
        '--numstat',
        '-M',
        '--no-merges',
        ...NO_DIFF_PROGRAMS,
        NUMSTAT_FORMAT,
        ...dateLimits({ since, before: until }),
      ];
      const commits = withinDates(parseNumstatLog(await run([...args, 'HEAD'])), { since, before: until });
      return churnByCurrentName(commits);
    },

    async head() {
      return (await run(['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
    },
  };
}

/**
 * Counts per file under the name it has now: walking newest first, a rename `old → new` sends the
 * older commits of `old` to `new`, so a file renamed inside the window keeps its whole churn.
 */
function churnByCurrentName(newestFirst: CommitInfo[]): Map<string, FileChurn> {
  const renamedTo = new Map<string, string>();
  const churn = new Map<string, FileChurn>();
  for (const commit of newestFirst) {
    for (const change of commit.files) {
      const name = renamedTo.get(change.path) ?? change.path;
      const entry = churn.get(name) ?? { commits: 0, linesChanged: 0 };
      entry.commits += 1;
      entry.linesChanged += change.added + change.deleted;
      churn.set(name, entry);
      if (change.previousPath !== undefined && change.previousPath !== change.path) renamedTo.set(change.previousPath, name);
    }
  }
  return churn;
}

/**
 * git compares whole seconds and both its bounds are inclusive; `before` here is strict. So git gets
 * the enclosing seconds (`@<unix seconds>`) and withinDates trims the exact instants afterwards.
 * git reads `@n` as a timestamp only from n = 100000000 (March 1973) up; an earlier bound is left to
 * withinDates alone.
 */
function dateLimits(options: Pick<CommitQuery, 'before' | 'since'>): string[] {
  const args: string[] = [];
  const since = options.since && Math.ceil(options.since.getTime() / 1000);
  const before = options.before && Math.ceil(options.before.getTime() / 1000) - 1;
  if (since && since >= GIT_MIN_TIMESTAMP) args.push(`--since=@${since}`);
  if (before && before >= GIT_MIN_TIMESTAMP) args.push(`--before=@${before}`);
  return args;
}

const GIT_MIN_TIMESTAMP = 100_000_000;

function withinDates(commits: CommitInfo[], options: Pick<CommitQuery, 'before' | 'since'>): CommitInfo[] {
  return commits.filter((c) => (!options.before || c.date < options.before) && (!options.since || c.date >= options.since));
}

function toRanges(sorted: number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const n of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else ranges.push([n, n]);
  }
  return ranges;
}

function isMissingObject(error: unknown): boolean {
  const message = errorMessage(error);
  return /does not exist in|exists on disk, but not in|not a valid object name|bad file|invalid object name/i.test(message);
}
