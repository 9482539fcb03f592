import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGitExecutor } from '../../../src/adapters/executor/git-executor.ts';
import { createFileRepoLock } from '../../../src/adapters/executor/lock/file-repo-lock.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { createDemoRepo } from '../../../src/demo/demo-repo.ts';
import { silentLogger } from '../../../src/logging.ts';
import { createDecisions } from '../../../src/proposals/decisions.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { SAFETY, executionSettings } from './harness.ts';

/** The local demo end to end: the default TARGET_REPO (the demo repository) with the default TEST_COMMAND (npm test). */

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('executing against the demo repository', () => {
  it('runs npm test in the sandbox and commits the change on its branch', async () => {
    const data = await mkdtemp(path.join(tmpdir(), 'il-demo-exec-'));
    dirs.push(data);
    await chmod(data, 0o755); // so the sandbox user (nobody, when we are root) can reach the worktrees
    const demo = await createDemoRepo({ dir: path.join(data, 'demo-repo') });
    const store = createEmbeddedStore({ file: path.join(data, 'store.sqlite') });
    const executor = createGitExecutor({
      repoPath: demo.dir,
      execution: {
        ...executionSettings(path.join(data, 'worktrees')),
        test: { ...executionSettings('').test, envAllowlist: ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'CI', 'NODE_ENV', 'TMPDIR'] },
      },
      safety: SAFETY,
      testCommand: 'npm test',
      store,
      lock: createFileRepoLock({ dir: path.join(data, 'locks'), ttlMs: 30_000 }),
      logger: silentLogger(),
      ...(process.getuid?.() === 0 ? { sandboxUser: { uid: 65534, gid: 65534 } } : {}),
    });
    const patch = `diff --git a/src/health.js b/src/health.js
--- a/src/health.js
+++ b/src/health.js
@@ -1,4 +1,5 @@
 /** GET /api/health — answers while the process is up. */
 export function health() {
+  // No I/O here: a load balancer calls this every few seconds.
   return { status: 200, body: { status: 'ok' } };
 }
`;
    const created = await store.create(makeDraft({ patch }), { actor: 'analyzer' });
    const approved = await createDecisions({ store, logger: silentLogger() }).approve({
      id: created.id,
      actor: 'grace',
      idempotencyKey: 'demo-approve',
    });

    const done = await executor.execute(approved.proposal, { actor: 'grace', idempotencyKey: 'demo-exec' });

    expect(done.execution?.error, done.execution?.outputTail).toBeUndefined();
    expect(done.status).toBe('implemented');
    expect(done.execution?.testSummary).toMatch(/^tests passed: \d+ passed, 0 failed/);
    await store.close();
  });
});
