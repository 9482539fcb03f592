import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Real git repositories for tests, built under mkdtemp from scripted commits with fixed dates and
 * authors, so shas-independent facts (dates, order, blame) are the same on every run. Every git call
 * here ignores the machine's global and system config and runs no hook.
 */

export interface Author {
  name: string;
  email: string;
}

export interface ScriptedCommit {
  message: string;
  /** Author and committer date. */
  date: Date | string;
  author?: Author;
  /** Path → new content; null deletes the file. */
  files?: Record<string, string | Uint8Array | null>;
  /** From → to, applied with `git mv` before `files` are written. */
  renames?: Record<string, string>;
}

export interface TestGitRepo {
  dir: string;
  /** Makes one commit and returns its sha. */
  commit(commit: ScriptedCommit): Promise<string>;
  /** Runs git in the repository with the helper's isolated environment; returns stdout. */
  git(args: string[], input?: string): Promise<string>;
  /** Writes a file that is not committed (a coverage report, a canary...). */
  writeUntracked(file: string, content: string | Uint8Array): Promise<void>;
  cleanup(): Promise<void>;
}

export const DEFAULT_AUTHOR: Author = { name: 'Ada Lovelace', email: 'ada@example.test' };

const ISOLATED_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
};

function runGit(dir: string, args: string[], env: Record<string, string> = {}, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args],
      { cwd: dir, env: { ...process.env, ...ISOLATED_ENV, ...env }, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`git ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export async function createTestGitRepo(commits: ScriptedCommit[] = []): Promise<TestGitRepo> {
  const dir = await mkdtemp(path.join(tmpdir(), 'il-git-'));
  await runGit(dir, ['init', '-q', '-b', 'main']);

  const repo: TestGitRepo = {
    dir,
    async commit(commit) {
      for (const [from, to] of Object.entries(commit.renames ?? {})) {
        await mkdir(path.dirname(path.join(dir, to)), { recursive: true });
        await runGit(dir, ['mv', from, to]);
      }
      for (const [file, content] of Object.entries(commit.files ?? {})) {
        if (content === null) {
          await runGit(dir, ['rm', '-q', '--', file]);
        } else {
          await repo.writeUntracked(file, content);
          await runGit(dir, ['add', '--', file]);
        }
      }
      const author = commit.author ?? DEFAULT_AUTHOR;
      const date = new Date(commit.date).toISOString();
      await runGit(dir, ['commit', '-q', '--allow-empty', '-m', commit.message], {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
        GIT_COMMITTER_DATE: date,
      });
      return (await runGit(dir, ['rev-parse', 'HEAD'])).trim();
    },
    git: (args, input) => runGit(dir, args, {}, input),
    async writeUntracked(file, content) {
      const target = path.join(dir, file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };

  try {
    for (const commit of commits) await repo.commit(commit);
  } catch (error) {
    await repo.cleanup();
    throw error;
  }
  return repo;
}

export interface GeneratedHistory {
  commits: number;
  files: number;
  /** Date of the first commit; each next one is `stepMs` later. */
  start: Date;
  stepMs?: number;
}

/**
 * A long linear history in one `git fast-import` (10 000 commits in about a second): commit i
 * rewrites line 1 of file `src/f<i mod files>.js` and appends a line to it, dated start + i·step.
 */
export async function createGeneratedHistory(options: GeneratedHistory): Promise<TestGitRepo> {
  const repo = await createTestGitRepo();
  const step = options.stepMs ?? 60_000;
  const contents: string[] = Array.from({ length: options.files }, () => 'first\n');
  const chunks: string[] = [];
  for (let i = 0; i < options.commits; i++) {
    const index = i % options.files;
    contents[index] = `edit ${i}\n${(contents[index] ?? '').split('\n').slice(1).join('\n')}line ${i}\n`;
    const data = contents[index] ?? '';
    const seconds = Math.floor((options.start.getTime() + i * step) / 1000);
    const message = `change ${i}`;
    chunks.push(
      'commit refs/heads/main\n',
      `mark :${i + 1}\n`,
      `author ${DEFAULT_AUTHOR.name} <${DEFAULT_AUTHOR.email}> ${seconds} +0000\n`,
      `committer ${DEFAULT_AUTHOR.name} <${DEFAULT_AUTHOR.email}> ${seconds} +0000\n`,
      `data ${Buffer.byteLength(message)}\n${message}\n`,
      i === 0 ? '' : `from :${i}\n`,
      `M 100644 inline src/f${index}.js\ndata ${Buffer.byteLength(data)}\n${data}\n`,
    );
  }
  await repo.git(['fast-import', '--quiet'], chunks.join(''));
  await repo.git(['reset', '-q', '--hard', 'main']);
  return repo;
}
