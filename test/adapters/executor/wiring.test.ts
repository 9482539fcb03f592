import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createExecutorFromConfig, defaultSandboxUser } from '../../../src/adapters/executor/index.ts';
import type { Logger } from '../../../src/logging.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger } from '../../../src/logging.ts';
import { GOOD_PATCH, createHarness, snapshotUserTree, type Harness } from './harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

describe('wiring the executor from the configuration', () => {
  it.runIf(process.getuid?.() === 0)(
    'runs the tests as nobody when root and WORKTREE_DIR is reachable, as root with a warning otherwise',
    async () => {
      const data = await mkdtemp(path.join(tmpdir(), 'il-wiring-user-'));
      try {
        const warnings: string[] = [];
        const logger = { ...silentLogger(), warn: (...args: unknown[]) => void warnings.push(JSON.stringify(args)) } as unknown as Logger;
        expect(defaultSandboxUser(path.join(data, 'worktrees'), logger)).toBeUndefined(); // mkdtemp made it 0700
        expect(warnings.join()).toContain(data);
        await chmod(data, 0o755);
        expect(defaultSandboxUser(path.join(data, 'worktrees'), logger)).toEqual({ uid: 65534, gid: 65534 });
      } finally {
        await rm(data, { recursive: true, force: true });
      }
    },
  );

  it.runIf(process.getuid?.() === 0)(
    'passes a change whose tests run as nobody, and refuses their writes outside the worktree',
    async () => {
      harness = await createHarness();
      const executor = harness.makeExecutor({
        sandboxUser: { uid: 65534, gid: 65534 },
        testCommand: `touch /il-outside-canary 2>&1; echo x >> ${harness.repo.dir}/README.md 2>&1; node --test`,
      });
      const before = await snapshotUserTree(harness.repo);
      const done = await executor.execute(await harness.approved(GOOD_PATCH), { actor: 'grace', idempotencyKey: 'as-nobody' });
      expect(done.status, JSON.stringify(done.execution)).toBe('implemented');
      expect(done.execution?.outputTail).toMatch(/cannot create|Read-only file system|Permission denied/);
      expect(existsSync('/il-outside-canary')).toBe(false);
      expect(await snapshotUserTree(harness.repo)).toEqual(before);
    },
  );

  it('builds a working executor from loadConfig, and none when execution is disabled', async () => {
    harness = await createHarness();
    const data = await mkdtemp(path.join(tmpdir(), 'il-wiring-'));
    try {
      const env = { DATA_DIR: data, TARGET_REPO: harness.repo.dir, TEST_COMMAND: 'node --test' };
      const config = loadConfig(env);
      const store = createEmbeddedStore({ file: path.join(data, 'store.sqlite') });
      const executor = await createExecutorFromConfig(config, {
        repoPath: config.targetRepo!,
        store,
        logger: silentLogger(),
        lockStore: { dir: path.join(data, 'locks') },
      });
      expect(executor?.worktreeRoot.startsWith(path.join(data, 'worktrees'))).toBe(true);
      await expect(executor!.recoverInterrupted()).resolves.toEqual({ recovered: [] });
      await expect(executor!.tryPatch(GOOD_PATCH)).resolves.toMatchObject({ passed: true });
      expect(
        await createExecutorFromConfig(loadConfig({ ...env, EXECUTION_ENABLED: 'false' }), {
          repoPath: harness.repo.dir,
          store,
          logger: silentLogger(),
          lockStore: { dir: data },
        }),
      ).toBeUndefined();
      await store.close();
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  });
});
