import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeIsolation } from '../../../src/adapters/executor/sandbox/isolation.ts';
import { reapChildExecutors, spawnChildExecutor } from './child-executor.ts';
import { createHarness, snapshotUserTree, type Harness } from './harness.ts';

/** Issue 14 A: a patch's test code, in the trial before approval, reached the user's repository and DATA_DIR. */

let harness: Harness | undefined;
afterEach(async () => {
  await reapChildExecutors();
  await harness?.cleanup();
  harness = undefined;
});

const required = Boolean(process.env.CI);
const nonce = `${process.pid}-${Date.now()}`;

/**
 * A patch adding attempts.sh. Reads print ESCAPED:<name> when they work; writes may land in the run's
 * own private tmpfs (bwrap makes the bind points' parents there), so they are judged from outside.
 */
function escapePatch(repo: string, data: string): string {
  const lines = [
    `echo '#!/bin/sh' > ${repo}/.git/hooks/post-checkout 2>/dev/null && echo wrote-inside:hook`,
    `echo pwned >> ${repo}/README.md 2>/dev/null && echo wrote-inside:checkout`,
    `echo '[core] hooksPath = /tmp' >> ${repo}/.git/config 2>/dev/null && echo wrote-inside:config`,
    `cat ${data}/api-token 2>/dev/null && echo ESCAPED:token`,
    `cat ${data}/store.sqlite 2>/dev/null && echo ESCAPED:store`,
    `echo x > /tmp/il-escape-${nonce} && echo wrote-private-tmp`,
    'echo attempts-done',
  ];
  return `diff --git a/attempts.sh b/attempts.sh\nnew file mode 100644\n--- /dev/null\n+++ b/attempts.sh\n@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
}

describe.runIf(required || probeIsolation().bwrap !== null)('a trial whose tests try to escape', () => {
  it.each([
    ['as the sandbox user nobody (service as root)', { uid: 65534, gid: 65534 }],
    ["as the service's own user (a non-root service)", undefined],
  ] as const)('is refused every attempt %s', async (_label, sandboxUser) => {
    harness = await createHarness();
    const data = path.join(harness.dirs.work, 'data');
    await mkdir(data, { recursive: true });
    await writeFile(path.join(data, 'api-token'), `tok-canary-${nonce}\n`, { mode: 0o600 });
    await writeFile(path.join(data, 'store.sqlite'), `store-canary-${nonce}\n`, { mode: 0o644 });
    const before = await snapshotUserTree(harness.repo);
    const config = await readFile(path.join(harness.repo.dir, '.git', 'config'), 'utf8');
    const executor = harness.makeExecutor({ testCommand: 'sh attempts.sh', ...(sandboxUser ? { sandboxUser } : {}) });

    const trial = await executor.tryPatch(escapePatch(harness.repo.dir, data));

    expect(trial.outputTail).toContain('attempts-done');
    expect(trial.outputTail).toContain('wrote-private-tmp');
    expect(trial.outputTail, trial.outputTail).not.toContain('ESCAPED');
    expect(trial.outputTail).not.toContain('canary');
    expect(existsSync(path.join(harness.repo.dir, '.git', 'hooks', 'post-checkout'))).toBe(false);
    expect(await readFile(path.join(harness.repo.dir, '.git', 'config'), 'utf8')).toBe(config);
    expect(existsSync(`/tmp/il-escape-${nonce}`), 'the /tmp write stayed private').toBe(false);
    expect(await snapshotUserTree(harness.repo)).toEqual(before);
  });
});

const NOBODY = { uid: 65534, gid: 65534 };
const root = process.getuid?.() === 0;

/**
 * The documented deployments run the service itself as a non-root user (`User=improvement-loop`,
 * Docker's `USER node`): here the whole executor runs as nobody in a child process, owning the
 * repository and DATA_DIR as such a service would, and executes an approved patch whose tests try
 * every escape. Needs root to start the child under another uid (CI runs as root).
 */
describe.runIf((required || probeIsolation().bwrap !== null) && root)(
  'an execution by a non-root service whose tests try to escape',
  () => {
    it('is refused every attempt, and the user tree, hooks, config and DATA_DIR stay as they were', async () => {
      harness = await createHarness();
      const data = path.join(harness.dirs.work, 'data');
      await mkdir(data, { recursive: true });
      await writeFile(path.join(data, 'api-token'), `tok-canary-${nonce}\n`, { mode: 0o600 });
      await writeFile(path.join(data, 'store.sqlite'), `store-canary-${nonce}\n`, { mode: 0o644 });
      const proposal = await harness.approved(escapePatch(harness.repo.dir, data));
      // The chown below changes the index's stat data (uid, ctime), not what it holds: compare its entries.
      const tree = async () => {
        const { index: _statData, ...rest } = await snapshotUserTree(harness!.repo);
        return { ...rest, entries: await harness!.repo.git(['ls-files', '--stage']) };
      };
      const before = await tree();
      const config = await readFile(path.join(harness.repo.dir, '.git', 'config'), 'utf8');
      await harness.store.close();
      // The service's user owns what the service owns; root takes it back before reading it below.
      const owned = [harness.repo.dir, harness.dirs.work];
      for (const dir of owned) execFileSync('chown', ['-R', `${NOBODY.uid}:${NOBODY.gid}`, dir]);
      try {
        const child = spawnChildExecutor(
          {
            repoPath: harness.repo.dir,
            worktreeDir: harness.dirs.worktrees,
            lockDir: harness.dirs.locks,
            storeFile: harness.dirs.store,
            proposalId: proposal.id,
            testCommand: 'sh attempts.sh; node --test',
          },
          NOBODY,
        );
        const done = (await child.waitFor((event) => event.done !== undefined, 60_000)) as { done: string; outputTail: string };
        expect(done.outputTail).toContain('attempts-done');
        expect(done.outputTail).toContain('wrote-private-tmp');
        expect(done.outputTail, done.outputTail).not.toContain('ESCAPED');
        expect(done.outputTail).not.toContain('canary');
      } finally {
        for (const dir of owned) execFileSync('chown', ['-R', '0:0', dir]);
      }
      expect(existsSync(path.join(harness.repo.dir, '.git', 'hooks', 'post-checkout'))).toBe(false);
      expect(await readFile(path.join(harness.repo.dir, '.git', 'config'), 'utf8')).toBe(config);
      expect(existsSync(`/tmp/il-escape-${nonce}`), 'the /tmp write stayed private').toBe(false);
      expect(await tree()).toEqual(before);
      expect(await readFile(path.join(data, 'api-token'), 'utf8')).toBe(`tok-canary-${nonce}\n`);
    });
  },
);
