import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { ExecutionSafety, ExecutionSettings, GitExecutorDeps } from './executor-settings.ts';
import { createGitExecutor, type GitExecutor } from './git-executor.ts';
import { createFileRepoLock } from './lock/file-repo-lock.ts';
import { createRedisRepoLock } from './lock/redis-repo-lock.ts';
import { probeIsolation } from './sandbox/isolation.ts';
import type { Logger } from '../../logging.ts';

export { createGitExecutor, type GitExecutor } from './git-executor.ts';
export type { GitExecutorDeps, ExecutionSettings, ExecutionSafety } from './executor-settings.ts';
export { createFileRepoLock } from './lock/file-repo-lock.ts';
export { createRedisRepoLock } from './lock/redis-repo-lock.ts';
export { probeIsolation } from './sandbox/isolation.ts';

/** The config slices the executor reads (config.execution, config.safety, config.testCommand, config.llm). */
export interface ExecutorConfig {
  execution: ExecutionSettings & { enabled: boolean; agent: { maxTurns: number; tokenBudget: number } };
  safety: ExecutionSafety;
  testCommand: string;
  llm: { apiKey?: string | undefined; baseURL?: string | undefined; model: string };
}

const LEASE_TTL_MS = 30_000;
const NOBODY = { uid: 65534, gid: 65534 };

/**
 * As root, the tests run as `nobody` (root ignores the process limit and can write into the user's
 * repository), provided that user can reach WORKTREE_DIR: every folder above it must be
 * world-searchable. Otherwise the tests run as root, with a warning saying why.
 */
export function defaultSandboxUser(worktreeDir: string, logger: Logger): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (!probeIsolation().setpriv) {
    logger.warn('setpriv is unavailable: test runs execute as root');
    return undefined;
  }
  mkdirSync(worktreeDir, { recursive: true, mode: 0o755 });
  for (let dir = path.resolve(worktreeDir); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      logger.warn(
        { folder: dir },
        'test runs execute as root: the sandbox user cannot reach WORKTREE_DIR through this folder (make it world-searchable, mode 755)',
      );
      return undefined;
    }
    if (path.dirname(dir) === dir) return NOBODY;
  }
}

/**
 * Builds the executor for the composition root, or undefined when EXECUTION_ENABLED=false. The lease
 * lives in Redis for the Redis store (pass the patient client) and in files for the embedded store.
 */
export async function createExecutorFromConfig(
  config: ExecutorConfig,
  deps: Omit<GitExecutorDeps, 'execution' | 'safety' | 'testCommand' | 'lock' | 'agent'> & {
    lockStore: { redis: Redis; keyPrefix: string } | { dir: string };
  },
): Promise<GitExecutor | undefined> {
  if (!config.execution.enabled) return undefined;
  const isolation = probeIsolation();
  if (!isolation.bwrap) {
    if (config.execution.test.allowUnsandboxed)
      deps.logger.warn(
        { gaps: isolation.warnings },
        'TEST_ALLOW_UNSANDBOXED=true: trials and executions run tests without bubblewrap; they can read and write what the service user can',
      );
    else
      deps.logger.error(
        { gaps: isolation.warnings },
        'bubblewrap (bwrap) is unavailable: trials and executions are refused; install bubblewrap and allow unprivileged user namespaces, or set TEST_ALLOW_UNSANDBOXED=true to accept the risk',
      );
  }
  const { lockStore, ...rest } = deps;
  const lock =
    'redis' in lockStore
      ? createRedisRepoLock(lockStore.redis, { keyPrefix: lockStore.keyPrefix, ttlMs: LEASE_TTL_MS })
      : createFileRepoLock({ dir: path.resolve(lockStore.dir), ttlMs: LEASE_TTL_MS });
  // Loaded only with a key: the Anthropic SDK is not worth its start-up time to processes that cannot use it.
  const agent = config.llm.apiKey
    ? (await import('./agent/claude-change-agent.ts')).createClaudeChangeAgent({
        apiKey: config.llm.apiKey,
        baseURL: config.llm.baseURL,
        model: config.llm.model,
        maxTurns: config.execution.agent.maxTurns,
        tokenBudget: config.execution.agent.tokenBudget,
        protectedPaths: config.execution.protectedPaths,
        logger: deps.logger,
      })
    : undefined;
  const sandboxUser = deps.sandboxUser ?? defaultSandboxUser(config.execution.worktreeDir, deps.logger);
  return createGitExecutor({
    ...rest,
    ...(sandboxUser ? { sandboxUser } : {}),
    execution: config.execution,
    safety: config.safety,
    testCommand: config.testCommand,
    lock,
    lockTtlMs: LEASE_TTL_MS,
    ...(agent ? { agent } : {}),
  });
}
