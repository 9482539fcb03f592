import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { patchHash } from '../../../src/proposals/decisions.ts';
import type { AgentExecutionRecord } from '../../../src/ports/warehouse.ts';
import type { ExecutionStep, ProposalNotifier } from '../../../src/ports/notifier.ts';
import {
  BREAKING_PATCH,
  GOOD_PATCH,
  createHarness,
  dirtyUserTree,
  repositoryLeftClean,
  snapshotUserTree,
  type Harness,
} from './harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

const request = (key: string) => ({ actor: 'grace', idempotencyKey: key });

describe('the git executor', () => {
  it('commits a passing patch on improvement/<id> and leaves the user tree byte-identical', async () => {
    const records: AgentExecutionRecord[] = [];
    const steps: string[] = [];
    const notifier: ProposalNotifier = {
      proposalChanged: async () => undefined,
      executionProgress: async (_p, step: ExecutionStep) => void steps.push(step.stage),
    };
    harness = await createHarness({ recordExecution: async (record) => void records.push(record), notifiers: [notifier] });
    await dirtyUserTree(harness.repo);
    const before = await snapshotUserTree(harness.repo);
    const proposal = await harness.approved(GOOD_PATCH);

    const done = await harness.executor.execute(proposal, request('exec-1'));

    expect(done.status).toBe('implemented');
    expect(done.execution?.branch).toBe(`improvement/${proposal.id}`);
    expect(done.execution?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(done.execution?.testSummary).toMatch(/^tests passed: 1 passed, 0 failed/);
    expect(done.execution?.diffstat).toContain('src/add.js');
    const message = await harness.repo.git(['log', '-1', '--format=%an <%ae>%n%B', done.execution!.commit!]);
    expect(message).toContain('improvement-loop[bot]');
    expect(message).toContain(`Proposal-Id: ${proposal.id}`);
    expect(message).toContain('Approved-By: grace');
    expect(await harness.repo.git(['show', `${done.execution!.commit}:src/add.js`])).toContain('// Adds two numbers.');
    expect(await harness.repo.git(['rev-parse', `improvement/${proposal.id}`])).toContain(done.execution!.commit);
    expect(await snapshotUserTree(harness.repo)).toEqual(before);
    const left = await repositoryLeftClean(harness.repo);
    expect(left.worktrees).toHaveLength(1);
    expect(left.locks).toEqual([]);
    expect(records.map((r) => r.status)).toEqual(
      expect.arrayContaining(['started', 'rails', 'worktree', 'apply', 'tests', 'commit', 'implemented']),
    );
    expect(steps).toContain('tests');
  });

  it('removes the worktree and branch and marks the proposal failed with the output tail when tests fail', async () => {
    harness = await createHarness();
    await dirtyUserTree(harness.repo);
    const before = await snapshotUserTree(harness.repo);
    const proposal = await harness.approved(BREAKING_PATCH);

    const done = await harness.executor.execute(proposal, request('exec-fail'));

    expect(done.status).toBe('failed');
    expect(done.execution?.error).toMatch(/^tests failed \(exit 1\)/);
    expect(done.execution?.outputTail).toContain('# fail 1');
    expect(await snapshotUserTree(harness.repo)).toEqual(before);
    const left = await repositoryLeftClean(harness.repo);
    expect(left).toEqual({ worktrees: [expect.any(String)], improvementBranches: '', locks: [] });
  });

  it('refuses a patch that differs from the one approved', async () => {
    harness = await createHarness();
    const first = await harness.executor.execute(await harness.approved(BREAKING_PATCH), request('exec-breaking'));
    // A re-approval bound to another patch than the one the proposal carries now.
    const reapproved = await harness.store.transition({
      id: first.id,
      to: 'approved',
      actor: 'grace',
      idempotencyKey: 'reapprove',
      changes: { approvedPatchHash: patchHash(GOOD_PATCH) },
    });

    const done = await harness.executor.execute(reapproved.proposal, request('exec-tampered'));

    expect(done.status).toBe('failed');
    expect(done.execution?.error).toContain('differs from the one that was approved');
    expect((await repositoryLeftClean(harness.repo)).improvementBranches).toBe('');
  });

  it('refuses a patch over the file limit before creating a worktree', async () => {
    harness = await createHarness({ safety: { maxChangesPerProposal: 1 } });
    const twoFiles = `${GOOD_PATCH}diff --git a/README.md b/README.md
--- a/README.md
+++ b/README.md
@@ -1 +1,2 @@
 # target
+More.
`;
    const done = await harness.executor.execute(await harness.approved(twoFiles), request('exec-files'));
    expect(done.status).toBe('failed');
    expect(done.execution?.error).toContain('touches 2 files; at most 1');
    expect(done.history.map((h) => h.action)).toEqual(['created', 'approved', 'execution_started', 'execution_failed']);
  });

  it('refuses a file over the line limit', async () => {
    harness = await createHarness({ safety: { maxLinesPerChange: 3 } });
    const big = `diff --git a/src/big.js b/src/big.js
new file mode 100644
--- /dev/null
+++ b/src/big.js
@@ -0,0 +1,4 @@
+a
+b
+c
+d
`;
    const done = await harness.executor.execute(await harness.approved(big), request('exec-lines'));
    expect(done.execution?.error).toContain('src/big.js changes 4 lines; at most 3');
  });

  it('kills a test run at its timeout and marks the proposal failed', async () => {
    harness = await createHarness({
      testCommand: 'sleep 30',
      execution: { test: { timeoutMs: 1000, memoryMb: 2048, maxProcesses: 256, outputMaxBytes: 4096, envAllowlist: ['PATH'] } },
    });
    const started = Date.now();
    const done = await harness.executor.execute(await harness.approved(GOOD_PATCH), request('exec-timeout'));
    expect(done.status).toBe('failed');
    expect(done.execution?.error).toMatch(/^tests timed out after \d+\.\d s and were killed$/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await repositoryLeftClean(harness.repo)).worktrees).toHaveLength(1);
  });

  it('never shows a secret planted in the service environment in the test output', async () => {
    process.env.IL_CANARY_SECRET = 'sk-canary-9d2e';
    process.env.SLACK_BOT_TOKEN_CANARY = 'xoxb-canary-1';
    try {
      harness = await createHarness({ testCommand: 'env; node -e "console.log(JSON.stringify(process.env))"; node --test' });
      const done = await harness.executor.execute(await harness.approved(GOOD_PATCH), request('exec-env'));
      expect(done.status).toBe('implemented');
      expect(done.execution?.outputTail).toContain('PATH=');
      expect(done.execution?.outputTail).not.toMatch(/canary/i);
    } finally {
      delete process.env.IL_CANARY_SECRET;
      delete process.env.SLACK_BOT_TOKEN_CANARY;
    }
  });

  it('recovers at a first start, before the (demo) repository exists', async () => {
    harness = await createHarness();
    const proposal = await harness.approved(GOOD_PATCH);
    await harness.store.transition({
      id: proposal.id,
      to: 'executing',
      actor: 'grace',
      idempotencyKey: 'stuck',
      changes: { execution: { startedAt: new Date().toISOString() } },
    });
    const executor = harness.makeExecutor({ repoPath: `${harness.dirs.work}/demo-repo-not-built-yet` });
    await expect(executor.recoverInterrupted()).resolves.toEqual({ recovered: [proposal.id] });
    expect((await harness.store.get(proposal.id))?.status).toBe('failed');
  });

  it('fails a proposal without a patch with a clear reason when no agent is configured', async () => {
    harness = await createHarness();
    const done = await harness.executor.execute(await harness.approved(), request('exec-nopatch'));
    expect(done.status).toBe('failed');
    expect(done.execution?.error).toContain('no patch and no editing agent');
  });

  it('returns the proposal as it is when the same execution request comes twice', async () => {
    harness = await createHarness();
    const proposal = await harness.approved(GOOD_PATCH);
    const first = await harness.executor.execute(proposal, request('exec-same'));
    await expect(harness.executor.execute(proposal, request('exec-same'))).resolves.toMatchObject({
      id: proposal.id,
      status: 'implemented',
      version: first.version,
    });
  });

  it('commits exactly the judged change even when the tests rewrite files in the worktree', async () => {
    harness = await createHarness({ testCommand: "printf 'x' > extra.txt && node --test && printf 'tampered' > src/add.js" });
    const done = await harness.executor.execute(await harness.approved(GOOD_PATCH), request('exec-rewrite'));
    expect(done.status).toBe('implemented');
    expect(await harness.repo.git(['show', `${done.execution!.commit}:src/add.js`])).toContain('// Adds two numbers.');
    expect(await harness.repo.git(['ls-tree', '--name-only', done.execution!.commit!])).not.toContain('extra.txt');
  });

  it('refuses to adopt a branch of the same name that someone else made, and leaves it alone', async () => {
    harness = await createHarness();
    const proposal = await harness.approved(GOOD_PATCH);
    await harness.repo.git(['branch', `improvement/${proposal.id}`]);
    const done = await harness.executor.execute(proposal, request('exec-existing'));
    expect(done.execution?.error).toContain('already exists');
    expect((await repositoryLeftClean(harness.repo)).improvementBranches).toBe(`refs/heads/improvement/${proposal.id}`);
  });

  it('merges into the base branch only when production deploys are allowed and review is not required', async () => {
    harness = await createHarness({ safety: { allowProductionDeploy: true, requireReview: false }, execution: { baseBranch: 'main' } });
    const mainBefore = await harness.repo.git(['rev-parse', 'main']);
    // main is checked out in the user's tree: moving it would leave that tree dirty, so it stays.
    const kept = await harness.executor.execute(await harness.approved(GOOD_PATCH), request('exec-merge-1'));
    expect(kept.status).toBe('implemented');
    expect(await harness.repo.git(['rev-parse', 'main'])).toBe(mainBefore);
    // With the user on another branch, main is fast-forwarded to the change.
    await harness.repo.git(['checkout', '-q', '-b', 'elsewhere']);
    const merged = await harness.executor.execute(
      await harness.approved(BREAKING_PATCH.replace('a - b', 'b + a')),
      request('exec-merge-2'),
    );
    expect(merged.history.at(-1)?.reason).toBe('merged into main');
    expect((await harness.repo.git(['rev-parse', 'main'])).trim()).toBe(merged.execution?.commit);
  });

  it('never merges while review is required', async () => {
    harness = await createHarness({ safety: { allowProductionDeploy: true }, execution: { baseBranch: 'main' } });
    await harness.repo.git(['checkout', '-q', '-b', 'elsewhere']);
    const mainBefore = await harness.repo.git(['rev-parse', 'main']);
    const done = await harness.executor.execute(await harness.approved(GOOD_PATCH), request('exec-review'));
    expect(done.status).toBe('implemented');
    expect(await harness.repo.git(['rev-parse', 'main'])).toBe(mainBefore);
  });

  it('rolls back an unmerged implementation by deleting its branch', async () => {
    harness = await createHarness();
    const done = await harness.executor.execute(await harness.approved(GOOD_PATCH), request('exec-rb'));
    const rolled = await harness.executor.rollback(done, { ...request('rollback-1'), reason: 'slower than before' });
    expect(rolled.status).toBe('rolled_back');
    expect(rolled.history.at(-1)?.reason).toContain(`deleted the unmerged branch improvement/${done.id}`);
    expect((await repositoryLeftClean(harness.repo)).improvementBranches).toBe('');
  });

  it('rolls back a merged implementation with a revert commit on its branch', async () => {
    harness = await createHarness();
    const done = await harness.executor.execute(await harness.approved(GOOD_PATCH), request('exec-rb2'));
    await harness.repo.git(['merge', '-q', '--ff-only', `improvement/${done.id}`]);
    const rolled = await harness.executor.rollback(done, { ...request('rollback-2'), reason: 'broke checkout' });
    expect(rolled.history.at(-1)?.reason).toMatch(/reverted [0-9a-f]{12} on improvement\/\S+ as [0-9a-f]{12}; merge/);
    const tip = await harness.repo.git(['show', `improvement/${done.id}:src/add.js`]);
    expect(tip).not.toContain('// Adds two numbers.');
    expect(await readFile(`${harness.repo.dir}/src/add.js`, 'utf8')).toContain('// Adds two numbers.'); // base untouched
  });

  it('tries a patch before it is proposed and reports whether its tests passed', async () => {
    harness = await createHarness();
    const before = await snapshotUserTree(harness.repo);
    await expect(harness.executor.tryPatch(GOOD_PATCH)).resolves.toMatchObject({
      passed: true,
      summary: expect.stringMatching(/^tests passed: 1 passed/),
    });
    await expect(harness.executor.tryPatch(BREAKING_PATCH)).resolves.toMatchObject({
      passed: false,
      summary: expect.stringMatching(/^tests failed/),
    });
    await expect(harness.executor.tryPatch(GOOD_PATCH.replaceAll('src/add.js', '.github/workflows/ci.yml'))).resolves.toMatchObject({
      passed: false,
      summary: expect.stringContaining('is protected'),
    });
    expect(await snapshotUserTree(harness.repo)).toEqual(before);
    expect(await repositoryLeftClean(harness.repo)).toEqual({ worktrees: [expect.any(String)], improvementBranches: '', locks: [] });
  });
});
