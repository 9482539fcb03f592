/**
 * `/improve revise <id> <instructions>` through Bolt on the Slack fake, with the revisions of a real
 * repository, executor and Claude (on the Anthropic fake): acked at once, the revision after.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRevisionWorld, REVISED_PATCH, revisionReply, type RevisionWorld } from '../../helpers/revision-world.ts';
import { APPROVER, OTHER_APPROVER, startSlackHarness, type SlackHarness } from './slack-harness.ts';

describe('/improve revise', () => {
  let world: RevisionWorld;
  let h: SlackHarness;
  beforeAll(async () => {
    world = await createRevisionWorld();
    h = await startSlackHarness({ store: world.harness.store, surface: { revisions: world.revisions } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await world?.cleanup();
  });
  beforeEach(() => h.slack.reset());

  const lastAnswer = async () => {
    await h.surface.idle();
    return h.slack.responses().at(-1)?.body;
  };

  it('acks within 3 s, says the revision started, and records who asked and the instructions multi-line', async () => {
    const proposal = await world.implementedUnderReview();
    world.anthropic.enqueue(revisionReply(REVISED_PATCH));
    const command = await h.command(`revise ${proposal.id} Say why the function exists\nand keep it short`, APPROVER);
    expect(command.status).toBe(200);
    expect(command.ms).toBeLessThan(3000);
    expect((await lastAnswer())?.text).toMatch(/Revising `.+`: Claude writes the revised patch/);
    await world.revisions.settled();
    const history = (await world.harness.store.get(proposal.id))!.history.slice(-2);
    expect(history.map((e) => [e.action, e.actor])).toEqual([
      ['revision_requested', `slack:${APPROVER}`],
      ['revised', `slack:${APPROVER}`],
    ]);
    expect(history[0]!.reason).toBe('Say why the function exists\nand keep it short');
  }, 120_000);

  it('lets only those who may execute ask, and records nothing for anyone else', async () => {
    const proposal = await world.implementedUnderReview();
    await h.command(`revise ${proposal.id} anything`, OTHER_APPROVER);
    expect((await lastAnswer())?.text).toMatch(/not allowed/);
    expect((await world.harness.store.get(proposal.id))!.version).toBe(proposal.version);
  }, 120_000);

  it('answers a missing id or instructions with the help, and a final proposal with why', async () => {
    await h.command('revise', APPROVER);
    expect(JSON.stringify((await lastAnswer())?.blocks)).toContain('/improve revise <id> <instructions>');
    const proposal = await world.implementedUnderReview();
    await world.harness.store.transition({ id: proposal.id, to: 'merged', actor: 'github:octo', idempotencyKey: `merge-${proposal.id}` });
    await h.command(`revise ${proposal.id} more`, APPROVER);
    expect((await lastAnswer())?.text).toMatch(/is merged, which is final: it can no longer be revised/);
  }, 120_000);
});
