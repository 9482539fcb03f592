import type { Config } from '../../config.ts';
import type { Logger } from '../../logging.ts';
import type { ProposalNotifier } from '../../ports/notifier.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { AgentExecutionRecord } from '../../ports/warehouse.ts';
import type { ChangeAgent } from './agent/change-agent.ts';
import type { RepoLock } from './lock/repo-lock.ts';

/**
 * The part of config.execution the executor reads. Tests may leave out allowUnsandboxed (refused
 * then), dependencyUpgrades ('security') and install (offline, from no cache: see DEFAULT_INSTALL).
 */
export type ExecutionSettings = Omit<Config['execution'], 'enabled' | 'agent' | 'test' | 'dependencyUpgrades' | 'install'> & {
  test: Omit<Config['execution']['test'], 'allowUnsandboxed'> & { allowUnsandboxed?: boolean };
  dependencyUpgrades?: Config['execution']['dependencyUpgrades'];
  install?: InstallSettings;
};

/** How the dependency install before the tests gets its packages (docs/EXECUTOR.md, *Dependency install*). */
export interface InstallSettings {
  network: 'none' | 'registry';
  timeoutMs: number;
  /** Read-only npm cache for the offline attempt; absent → the run's own empty cache. */
  npmCache?: string;
}

export const DEFAULT_INSTALL: InstallSettings = { network: 'registry', timeoutMs: 180_000 };

/** config.safety; requireReview defaults to true (changes stay on their branch for review). */
export type ExecutionSafety = Omit<Config['safety'], 'requireReview'> & { requireReview?: boolean };

export interface GitExecutorDeps {
  /** TARGET_REPO, or the demo repository. */
  repoPath: string;
  execution: ExecutionSettings;
  safety: ExecutionSafety;
  /** TEST_COMMAND: from config, never from the change. */
  testCommand: string;
  store: ProposalStore;
  /** createRedisRepoLock (Redis store) or createFileRepoLock (embedded store). */
  lock: RepoLock;
  /** The lock's lease length; renewed every third of it while an execution runs (default 30 s). */
  lockTtlMs?: number;
  /** How long an execution waits for another one on the same repository (default 15 min). */
  lockWaitMs?: number;
  notifiers?: ProposalNotifier[];
  /** The warehouse's recordExecution (ai_learning.agent_executions); its failures are logged, never fatal. */
  recordExecution?: (record: AgentExecutionRecord) => Promise<void>;
  /** Edits the worktree for proposals without a patch; undefined → such proposals fail with a clear reason. */
  agent?: ChangeAgent;
  logger: Logger;
  clock?: () => Date;
  /** `npm ci --ignore-scripts` before the tests when there is a lockfile and no node_modules (default true). */
  installDependencies?: boolean;
  /** Run the tests as this user (root only): see docs/EXECUTOR.md. */
  sandboxUser?: { uid: number; gid: number };
  /** Author and committer of the commits the executor makes. */
  botAuthor?: { name: string; email: string };
  /** Sees every git argument list (tests assert the hook guard on it). */
  observeGit?: (argv: readonly string[]) => void;
}

export const DEFAULT_BOT_AUTHOR = { name: 'improvement-loop[bot]', email: 'improvement-loop@users.noreply.localhost' };
