import { execFileSync } from 'node:child_process';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GOOD_PATCH, createHarness, type Harness } from './harness.ts';

/** Issue 14 D: `git worktree prune` dropped the user's worktree whose folder was briefly away. */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

describe("the user's own worktrees", () => {
  it('survive an execution, a trial and recovery while their folder is briefly moved away', async () => {
    harness = await createHarness();
    const userTree = path.join(harness.dirs.work, 'user-feature');
    const movedAway = `${userTree}.away`;
    execFileSync('git', ['worktree', 'add', '-q', '-b', 'feature', userTree], { cwd: harness.repo.dir });
    await rename(userTree, movedAway);

    const proposal = await harness.approved(GOOD_PATCH);
    expect((await harness.executor.execute(proposal, { actor: 'grace', idempotencyKey: 'k1' })).status).toBe('implemented');
    expect((await harness.executor.tryPatch(GOOD_PATCH)).passed).toBe(true);
    await harness.executor.recoverInterrupted();

    await rename(movedAway, userTree);
    expect(execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: userTree, encoding: 'utf8' }).trim()).toBe('feature');
    const listed = execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: harness.repo.dir, encoding: 'utf8' });
    expect(listed).toContain(`worktree ${userTree}`);
    expect(listed.split('\n').filter((line) => line.startsWith('worktree '))).toHaveLength(2); // ours are gone
  });
});
