import type { Logger } from '../../logging.ts';
import type { ProposalNotifier } from '../../ports/notifier.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { AgentExecutionRecord } from '../../ports/warehouse.ts';
import type { ChangeAgent } from './agent/change-agent.ts';
import type { RepoLock } from './lock/repo-lock.ts';

/** The part of config.execution the executor reads. */
export interface ExecutionSettings {
  baseBranch?: string | undefined;
  remote?: string | undefined;
  worktreeDir: string;
  protectedPaths: string[];
  allowBinary: boolean;
  allowModeChanges: boolean;
  test: {
    timeoutMs: number;
    memoryMb: number;
    maxProcesses: number;
    outputMaxBytes: number;
    envAllowlist: string[];
    allowUnsandboxed?: boolean;
  };
}

/** The part of config.safety the executor reads. */
export interface ExecutionSafety {
  requireApproval: boolean;
  requireTests: boolean;
  allowProductionDeploy: boolean;
  /** Changes stay on their branch for review (default true); merging needs this false and allowProductionDeploy true. */
  requireReview?: boolean;
  maxChangesPerProposal: number;
  maxLinesPerChange: number;
}

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
