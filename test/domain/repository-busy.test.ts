import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileRepoLock } from '../../src/adapters/executor/lock/file-repo-lock.ts';
import { answerFor } from '../../src/adapters/http/errors.ts';
import { errorFeedback } from '../../src/adapters/slack/listeners/decision-feedback.ts';
import { flashFor } from '../../src/adapters/web/flash.ts';
import { describeFailure } from '../../src/cli/errors.ts';
import { ConflictError, RepositoryBusy } from '../../src/domain/errors.ts';
import { createHarness, GOOD_PATCH } from '../adapters/executor/harness.ts';

/** Issue 17.3: a click that waited for a busy repository was told "someone got there first". */
const WORDS = 'Another change is running on this repository; try again in a few minutes';

describe('a repository busy with another change', () => {
  it('is what the executor throws when the repository lease does not come free, and the proposal stays approved', async () => {
    const harness = await createHarness();
    try {
      const proposal = await harness.approved(GOOD_PATCH);
      const lock = createFileRepoLock({ dir: harness.dirs.locks, ttlMs: 60_000 });
      // Another replica's execution holds the lease for this repository.
      // The lease key is the repository key, which also names its worktree folder.
      const held = await lock.tryAcquire(path.basename(harness.executor.worktreeRoot));
      expect(held).not.toBeNull();
      const executor = harness.makeExecutor({ lock, lockWaitMs: 200 });
      const refused = await executor.execute(proposal, { actor: 'grace', idempotencyKey: 'busy' }).catch((error: unknown) => error);
      await held!.release();
      expect(refused).toBeInstanceOf(RepositoryBusy);
      expect(refused).not.toBeInstanceOf(ConflictError);
      expect((await harness.store.get(proposal.id))?.status).toBe('approved');
    } finally {
      await harness.cleanup();
    }
  });

  it('answers 503 with Retry-After over HTTP', () => {
    const answer = answerFor(new RepositoryBusy('p-1', 120));
    expect(answer).toMatchObject({ status: 503, body: { error: 'repository_busy' }, headers: { 'Retry-After': '120' } });
    expect(answer.body.message).toContain(WORDS);
  });

  it('tells the Slack clicker to try again, not that someone got there first', () => {
    const feedback = errorFeedback(new RepositoryBusy('p-1'));
    expect(feedback).toMatchObject({ expected: true });
    expect(feedback.text).toContain(WORDS);
    expect(feedback.text).not.toMatch(/got there first/);
  });

  it('exits 1 with the same words on the CLI, and shows them on the dashboard', () => {
    expect(describeFailure(new RepositoryBusy('p-1'))).toMatchObject({ exitCode: 1, message: expect.stringContaining(WORDS) });
    expect(describeFailure(new RepositoryBusy('p-1')).detail).toBeUndefined();
    const p = { status: 'approved', version: 2 } as Parameters<typeof flashFor>[1];
    expect(flashFor('repository_busy', p)).toEqual({ kind: 'error', message: expect.stringContaining(WORDS) });
  });
});
