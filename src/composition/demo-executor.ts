import type { GitExecutor } from '../adapters/executor/index.ts';
import { createDemoRepo } from '../demo/demo-repo.ts';

/** The demo repository is made on first need (a CLI `proposals execute` may come before any cycle). */
export function demoRepoFirst(executor: GitExecutor, dir: string): GitExecutor {
  let made: Promise<unknown> | undefined;
  const ensure = () =>
    (made ??= createDemoRepo({ dir }).catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
  return {
    get worktreeRoot() {
      return executor.worktreeRoot;
    },
    hasAgent: executor.hasAgent,
    execute: async (proposal, request) => (await ensure(), executor.execute(proposal, request)),
    rollback: async (proposal, request) => (await ensure(), executor.rollback(proposal, request)),
    tryPatch: async (patch, declared) => (await ensure(), executor.tryPatch(patch, declared)),
    reviseBranch: async (proposal, patch, request) => (await ensure(), executor.reviseBranch(proposal, patch, request)),
    recoverInterrupted: (options) => executor.recoverInterrupted(options),
  };
}
