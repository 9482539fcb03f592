import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimpleGit } from 'simple-git';
import { createGuardedSimpleGit } from '../adapters/git/git-runner.ts';
import { DEMO_COMMITS, type DemoCommit } from './demo-history.ts';

/**
 * The demo target repository: a small dependency-free Node web service whose git history holds the
 * commits that introduced the problems planted in the sample telemetry (planted.ts). Built once
 * with fixed names, emails and dates, so every build has the same commit ids.
 */

export interface DemoRepo {
  dir: string;
  /** False when a repository was already there and was left as it is. */
  created: boolean;
  head: string;
}

const HISTORY_DIR = fileURLToPath(new URL('./repo-history/', import.meta.url));

/**
 * Creates the demo repository at `dir`, or leaves an existing repository there as it is. Refuses a
 * non-empty folder that is not a git repository rather than committing someone's files into it.
 */
export async function createDemoRepo(options: { dir: string }): Promise<DemoRepo> {
  const dir = path.resolve(options.dir);
  if (await exists(path.join(dir, '.git'))) {
    const head = (await gitIn(dir).revparse(['HEAD'])).trim();
    return { dir, created: false, head };
  }
  if ((await exists(dir)) && (await readdir(dir)).length > 0) {
    throw new Error(`${dir} exists, is not empty and is not a git repository; refusing to create the demo repository there`);
  }
  // Built beside the target and renamed into place, so an interrupted build never leaves half a history.
  const building = `${dir}.building-${process.pid}-${Date.now()}`;
  await mkdir(building, { recursive: true });
  try {
    const head = await writeHistory(building);
    await rm(dir, { recursive: true, force: true });
    await rename(building, dir);
    return { dir, created: true, head };
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw error;
  }
}

async function writeHistory(dir: string): Promise<string> {
  await gitIn(dir).init(['--initial-branch=main', '--quiet']);
  for (const commit of DEMO_COMMITS) {
    await copyTree(path.join(HISTORY_DIR, commit.folder), dir);
    const git = gitIn(dir, commit);
    await git.add(['-A']);
    await git.commit(commit.body ? [commit.subject, commit.body] : commit.subject);
  }
  return (await gitIn(dir).revparse(['HEAD'])).trim();
}

/**
 * A git client for `dir` with the guards all our git calls share (hooks, fsmonitor, pager and editor
 * off, no signing, no line-ending rewrites, only the environment git needs); the commit's identity
 * and dates when given.
 */
function gitIn(dir: string, commit?: DemoCommit): SimpleGit {
  const identity = commit && {
    GIT_AUTHOR_NAME: commit.author.name,
    GIT_AUTHOR_EMAIL: commit.author.email,
    GIT_AUTHOR_DATE: commit.date,
    GIT_COMMITTER_NAME: commit.author.name,
    GIT_COMMITTER_EMAIL: commit.author.email,
    GIT_COMMITTER_DATE: commit.date,
  };
  return createGuardedSimpleGit({ baseDir: dir, config: ['core.fileMode=true'], env: identity });
}

async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await copyTree(source, target);
    else await copyFile(source, target);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
