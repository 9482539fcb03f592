import { readdir, readFile, rm } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { GitRun } from './git-command.ts';

/**
 * Worktrees and branches of the target repository. Only refs, the worktree's own folder and its
 * admin folder under .git/worktrees are written: the user's working tree, index, HEAD and stash are
 * never touched, because no command here runs in the user's working tree except ref and worktree
 * bookkeeping (`worktree add/remove/prune`, `branch -D`), which read neither index nor files there.
 */
export function createWorktrees(run: GitRun, repoPath: string) {
  const inRepo = { cwd: repoPath };

  return {
    /** The commit a branch (or HEAD's branch when `branch` is undefined) points at, and its name. */
    async resolveBase(branch: string | undefined): Promise<{ name: string; sha: string }> {
      const name = branch ?? (await run(['symbolic-ref', '--short', '-q', 'HEAD'], inRepo)).stdout.trim();
      const sha = (await run(['rev-parse', '--verify', '--end-of-options', `refs/heads/${name}^{commit}`], inRepo)).stdout.trim();
      return { name, sha };
    },

    /** A new worktree at `dir` on a new branch (or detached when `branch` is null) at `sha`. */
    async add(dir: string, branch: string | null, sha: string): Promise<void> {
      // Hooks are off (GIT_GUARDS), so the checkout this makes runs no post-checkout hook.
      const args = branch ? ['worktree', 'add', '-q', '-b', branch, dir, sha] : ['worktree', 'add', '-q', '--detach', dir, sha];
      await run(args, inRepo);
    },

    /** A worktree on an existing branch (rollback reverts on the proposal's own branch). */
    async addExisting(dir: string, branch: string): Promise<void> {
      await run(['worktree', 'add', '-q', dir, branch], inRepo);
    },

    /** The repository's .git folder (shared by all its worktrees), absolute. */
    async commonDir(): Promise<string> {
      const dir = (await run(['rev-parse', '--git-common-dir'], inRepo)).stdout.trim();
      return path.resolve(repoPath, dir);
    },

    /**
     * Removes the worktree (whatever its state) and its admin folder; tolerant of half-made ones.
     * Only this worktree's admin folder is removed, found by the path it records: `git worktree prune`
     * would also drop the user's own worktrees whose folder is briefly unavailable.
     */
    async remove(dir: string): Promise<void> {
      await run(['worktree', 'remove', '--force', '--force', dir], { ...inRepo, allowFailure: true });
      await rm(dir, { recursive: true, force: true });
      const targets = new Set([path.resolve(dir), canonical(dir)]);
      await this.removeAdminFolders((checkout) => targets.has(checkout));
    },

    /** Admin folders (.git/worktrees/<name>) of our worktrees under `root`, whether or not their folder still exists. */
    async removeOursUnder(root: string): Promise<void> {
      const prefixes = [path.resolve(root), canonical(root)].map((p) => `${p}${path.sep}`);
      await this.removeAdminFolders((checkout) => prefixes.some((prefix) => checkout.startsWith(prefix)));
    },

    async removeAdminFolders(ours: (checkout: string) => boolean): Promise<void> {
      const admin = path.join(await this.commonDir().catch(() => path.join(repoPath, '.git')), 'worktrees');
      for (const name of await readdir(admin).catch(() => [] as string[])) {
        // `gitdir` holds the checkout's .git file path: <checkout>/.git.
        const gitdir = await readFile(path.join(admin, name, 'gitdir'), 'utf8').catch(() => null);
        if (gitdir !== null && ours(path.dirname(path.resolve(gitdir.trim()))))
          await rm(path.join(admin, name), { recursive: true, force: true });
      }
    },

    async branchExists(branch: string): Promise<boolean> {
      return (await run(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { ...inRepo, allowFailure: true })).code === 0;
    },

    async deleteBranch(branch: string): Promise<void> {
      if (await this.branchExists(branch)) await run(['branch', '-D', '--', branch], inRepo);
    },

    /** Paths of every worktree git knows of, the main one first. */
    async list(): Promise<string[]> {
      const output = (await run(['worktree', 'list', '--porcelain', '-z'], inRepo)).stdout;
      return output
        .split('\0')
        .filter((line) => line.startsWith('worktree '))
        .map((line) => line.slice('worktree '.length));
    },

    /** Whether `commit` is already part of `branch` (merged). */
    async isAncestor(commit: string, branch: string): Promise<boolean> {
      return (await run(['merge-base', '--is-ancestor', commit, `refs/heads/${branch}`], { ...inRepo, allowFailure: true })).code === 0;
    },
  };
}

/** The path as git records it (real path of the parent: git resolves symlinks), even once `dir` is gone. */
function canonical(dir: string): string {
  try {
    return path.join(realpathSync(path.dirname(path.resolve(dir))), path.basename(dir));
  } catch {
    return path.resolve(dir);
  }
}

export type Worktrees = ReturnType<typeof createWorktrees>;
