/**
 * Revising a patch end to end: a real target repository and bare remote, the git executor with its
 * rails and sandboxed tests, the embedded store, Claude's writer through the official SDK against
 * the Anthropic fake, and @octokit/rest against the GitHub fake for the pull request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplateWriter } from '../../src/adapters/llm/offline/template-writer.ts';
import { ConflictError, NotRevisable, ProposalNotFound, RevisionUnavailable, ValidationError } from '../../src/domain/errors.ts';
import { silentLogger } from '../../src/logging.ts';
import { patchHash } from '../../src/proposals/decisions.ts';
import { createRevisions } from '../../src/proposals/revisions.ts';
import { BREAKING_PATCH, GOOD_PATCH } from '../adapters/executor/harness.ts';
import { makeDraft } from '../helpers/drafts.ts';
import { createRevisionWorld, REVISED_PATCH, revisionReply, type RevisionWorld } from '../helpers/revision-world.ts';

describe('revising the patch of a change under review', () => {
  let world: RevisionWorld;
  beforeAll(async () => {
    world = await createRevisionWorld();
  }, 60_000);
  afterAll(() => world?.cleanup());

  it('commits a passing revision on the branch, pushes it, updates the one pull request and records who asked and the trial', async () => {
    const proposal = await world.implementedUnderReview();
    const branch = proposal.execution!.branch!;
    const before = world.git(['rev-parse', branch], world.remote);
    const pull = world.github.pulls.find((p) => p.head.ref === branch)!;
    await world.harness.store.note({
      id: proposal.id,
      actor: 'github:octo',
      action: 'review_comment',
      reason: 'octo on src/add.js:1: this comment says too little',
      idempotencyKey: `review-${proposal.id}`,
    });
    world.anthropic.enqueue(revisionReply(REVISED_PATCH));

    const result = await world.revisions.revise({
      id: proposal.id,
      actor: 'slack:U123',
      instructions: 'Say why the function exists in the comment',
      idempotencyKey: `revise-${proposal.id}`,
    });

    expect(result.outcome, JSON.stringify(result)).toBe('revised');
    const after = world.git(['rev-parse', branch], world.remote);
    expect(after).not.toBe(before);
    // A fast-forward on top of the executed commit: the pull request shows one more commit, no force-push.
    expect(world.git(['rev-parse', `${after}^`], world.remote)).toBe(before);
    expect(world.git(['show', `${after}:src/add.js`], world.remote)).toContain('kept short, as the review asked');
    expect(world.git(['log', '-1', '--format=%B', after], world.remote)).toContain('Revision-Requested-By: slack:U123');
    expect(world.git(['rev-parse', `refs/heads/${branch}`])).toBe(after);

    const stored = (await world.harness.store.get(proposal.id))!;
    expect(stored.status).toBe('implemented');
    expect(stored.patch).toBe(REVISED_PATCH);
    expect(stored.execution?.commit).toBe(after);
    const [requested, revised] = stored.history.slice(-2);
    expect(requested).toMatchObject({
      action: 'revision_requested',
      actor: 'slack:U123',
      reason: 'Say why the function exists in the comment',
    });
    expect(revised).toMatchObject({ action: 'revised', actor: 'slack:U123' });
    expect(revised!.reason).toMatch(/Trial passed: .*passed/);
    expect(revised!.reason).toContain(`Pull request #${pull.number} updated`);

    // The same pull request, its text updated with the new test result, and one comment for its reviewers.
    expect(world.github.pulls.filter((p) => p.head.ref === branch)).toHaveLength(1);
    expect(pull.body).toContain(after);
    expect(world.github.comments.filter((c) => c.issue === pull.number).map((c) => c.body)).toEqual([
      expect.stringContaining('Revised by improvement-loop at the request of slack:U123'),
    ]);
    // Claude saw the review comment and the instructions, each inside its data block.
    const prompt = JSON.stringify(world.anthropic.requests.at(-1)!.body.messages[0].content);
    expect(prompt).toContain('source=\\"review_comments\\"');
    expect(prompt).toContain('this comment says too little');
    expect(prompt).toMatch(/source=\\"revision_instructions\\"[^<]*Say why the function exists/);
    // The thread hears the result once, not the request.
    expect(world.told.filter((t) => t.id === proposal.id && t.action.startsWith('revis')).map((t) => t.action)).toEqual(['revised']);
  }, 120_000);

  it('leaves the branch, the remote and the pull request as they were when the revised patch fails its trial', async () => {
    const proposal = await world.implementedUnderReview();
    const branch = proposal.execution!.branch!;
    const before = world.git(['rev-parse', branch], world.remote);
    const pull = world.github.pulls.find((p) => p.head.ref === branch)!;
    const body = pull.body;
    world.anthropic.enqueue(revisionReply(BREAKING_PATCH, 'Subtracts instead.'));

    const result = await world.revisions.revise({
      id: proposal.id,
      actor: 'slack:U123',
      instructions: 'Make it subtract',
      idempotencyKey: `revise-${proposal.id}`,
    });

    expect(result.outcome).toBe('failed');
    expect(result.outcome === 'failed' && result.reason).toMatch(/failed its trial: .*The branch and pull request are as before/);
    expect(world.git(['rev-parse', branch], world.remote)).toBe(before);
    expect(world.git(['rev-parse', `refs/heads/${branch}`])).toBe(before);
    expect(pull.body).toBe(body);
    expect(world.github.comments.filter((c) => c.issue === pull.number)).toEqual([]);
    const stored = (await world.harness.store.get(proposal.id))!;
    expect(stored.patch).toBe(GOOD_PATCH);
    expect(stored.history.at(-1)).toMatchObject({ action: 'revision_failed', actor: 'slack:U123' });
  }, 120_000);

  it('changes nothing and says why when the model answers with a broken patch twice', async () => {
    const proposal = await world.implementedUnderReview();
    const branch = proposal.execution!.branch!;
    const before = world.git(['rev-parse', branch], world.remote);
    const broken = { name: 'submit_revision', toolUse: { patch: 'just make it better', explanation: 'x' } };
    const asked = world.anthropic.requests.length;
    world.anthropic.enqueue(broken, broken);

    const result = await world.revisions.revise({
      id: proposal.id,
      actor: 'api:ci',
      instructions: 'Tidy it',
      idempotencyKey: `revise-${proposal.id}`,
    });

    expect(world.anthropic.requests.length - asked).toBe(2);
    expect(result.outcome).toBe('failed');
    expect(result.outcome === 'failed' && result.reason).toMatch(/unusable twice \(patch: not a usable unified diff/);
    expect(world.git(['rev-parse', branch], world.remote)).toBe(before);
    expect((await world.harness.store.get(proposal.id))!.patch).toBe(GOOD_PATCH);
  }, 120_000);

  it('answers a replayed request once, without asking Claude again', async () => {
    const proposal = await world.implementedUnderReview();
    world.anthropic.enqueue(revisionReply(REVISED_PATCH));
    const ask = { id: proposal.id, actor: 'slack:U9', instructions: 'Say more', idempotencyKey: `once-${proposal.id}` };
    expect((await world.revisions.revise(ask)).outcome).toBe('revised');
    const asked = world.anthropic.requests.length;
    expect((await world.revisions.revise(ask)).outcome).toBe('duplicate');
    expect(world.anthropic.requests.length).toBe(asked);
  }, 120_000);

  it('refuses a second revision of the same proposal while the first one runs', async () => {
    const proposal = await world.implementedUnderReview();
    world.anthropic.enqueue({ ...revisionReply(REVISED_PATCH), delayMs: 300 });
    const ask = (key: string) => ({
      id: proposal.id,
      actor: 'slack:U1',
      instructions: 'Say more',
      idempotencyKey: `${key}-${proposal.id}`,
    });
    const [first, second] = await Promise.allSettled([world.revisions.revise(ask('one')), world.revisions.revise(ask('two'))]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { outcome: 'revised' } });
    expect(second).toMatchObject({ status: 'rejected', reason: expect.any(ConflictError) });
    expect(String((second as PromiseRejectedResult).reason.message)).toMatch(/is already running/);
  }, 120_000);

  it('replaces an approved proposal’s patch only once it passed its trial, carrying the approval to it', async () => {
    const approved = await world.harness.approved(GOOD_PATCH, { type: 'code_quality', category: 'docs' });
    world.anthropic.enqueue(revisionReply(REVISED_PATCH));
    const result = await world.revisions.revise({
      id: approved.id,
      actor: 'slack:U123',
      instructions: 'Say more in the comment',
      idempotencyKey: `revise-${approved.id}`,
    });
    expect(result.outcome).toBe('revised');
    const stored = (await world.harness.store.get(approved.id))!;
    expect(stored.status).toBe('approved');
    expect(stored.patch).toBe(REVISED_PATCH);
    expect(stored.approvedPatchHash).toBe(patchHash(REVISED_PATCH));
    expect(stored.autoExecute).toBe(false);
    expect(stored.preflight?.passed).toBe(true);
  }, 120_000);

  it('refuses unknown ids, final states, pending proposals and empty instructions before Claude is asked', async () => {
    const asked = world.anthropic.requests.length;
    const ask = (id: string, instructions = 'Do better') =>
      world.revisions.revise({ id, actor: 'slack:U1', instructions, idempotencyKey: `k-${id}` });
    await expect(ask('perf-20261206-nope')).rejects.toBeInstanceOf(ProposalNotFound);
    const store = world.harness.store;
    const pending = await store.create(makeDraft({ patch: GOOD_PATCH }), { actor: 'analyzer' });
    await expect(ask(pending.id)).rejects.toThrow(/pending: approve it first/);
    const rejected = await store.transition({
      id: pending.id,
      to: 'rejected',
      actor: 'grace',
      reason: 'no',
      idempotencyKey: `r-${pending.id}`,
    });
    await expect(ask(rejected.proposal.id)).rejects.toBeInstanceOf(NotRevisable);
    await expect(ask(rejected.proposal.id)).rejects.toThrow(/rejected, which is final/);
    const implemented = await world.implementedUnderReview();
    await store.transition({ id: implemented.id, to: 'merged', actor: 'github:octo', idempotencyKey: `m-${implemented.id}` });
    await expect(ask(implemented.id)).rejects.toThrow(/merged, which is final/);
    await expect(ask(implemented.id, '   ')).rejects.toBeInstanceOf(ValidationError);
    const deployed = await store.create(makeDraft({ patch: GOOD_PATCH }), { actor: 'analyzer' });
    for (const to of ['approved', 'executing', 'implemented'] as const)
      await store.transition({
        id: deployed.id,
        to,
        actor: 'executor',
        idempotencyKey: `d-${deployed.id}-${to}`,
        ...(to === 'implemented' ? { reason: 'merged into main', changes: { execution: { branch: `improvement/${deployed.id}` } } } : {}),
      });
    await expect(ask(deployed.id)).rejects.toThrow(/merged into main; a change already in the base branch cannot be revised/);
    expect(world.anthropic.requests.length).toBe(asked);
  }, 120_000);

  it('says revising needs ANTHROPIC_API_KEY when the writer is the offline templates', async () => {
    const offline = createRevisions({
      store: world.harness.store,
      writer: createTemplateWriter({ readFile: async () => null }),
      executor: world.harness.executor,
      notifiers: [],
      logger: silentLogger(),
    });
    const approved = await world.harness.approved(GOOD_PATCH);
    const attempt = offline.revise({ id: approved.id, actor: 'slack:U1', instructions: 'Shorter', idempotencyKey: `o-${approved.id}` });
    await expect(attempt).rejects.toBeInstanceOf(RevisionUnavailable);
    await expect(attempt).rejects.toThrow('Revising needs ANTHROPIC_API_KEY');
    expect((await world.harness.store.get(approved.id))!.version).toBe(approved.version);
  });
});
