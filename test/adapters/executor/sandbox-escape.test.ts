import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeIsolation } from '../../../src/adapters/executor/sandbox/isolation.ts';
import { createHarness, snapshotUserTree, type Harness } from './harness.ts';

/** Issue 14 A: a patch's test code, in the trial before approval, reached the user's repository and DATA_DIR. */

let harness: Harness | undefined;
afterEach(async () => {
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
