// `any` here is Slack's JSON (recorded calls) read in assertions; typing every shape would hide the wire format.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS, VIEWS } from '../../../src/adapters/slack/views/action-ids.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import type { Executor } from '../../../src/ports/executor.ts';
import type { ProposalNotifier } from '../../../src/ports/notifier.ts';
import { walkingExecutor } from '../../helpers/walking-executor.ts';
import { APPROVER, OTHER_APPROVER, startSlackHarness, type SlackHarness } from './slack-harness.ts';

function buttonsOf(blocks: any[]): string[] {
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.action_id));
}

/** The walking executor, telling the notifier of its outcomes as the git executor does. */
function telling(executor: Executor, notifier: () => ProposalNotifier): Executor {
  return {
    async execute(p, request) {
      const done = await executor.execute(p, request);
      await notifier().proposalChanged(done, { action: 'implemented', actor: request.actor });
      return done;
    },
    async rollback(p, request) {
      const done = await executor.rollback(p, request);
      await notifier().proposalChanged(done, { action: 'rolled_back', actor: request.actor });
      return done;
    },
  };
}

describe('rolling back from Slack', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ executor: (store) => telling(walkingExecutor(store), () => h.surface.notifier) });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.slack.reset());

  /** Filed, approved and executed through the same decisions Slack uses. */
  async function implemented(): Promise<Proposal> {
    const filed = await h.file({ patch: 'diff --git a/a.js b/a.js\n--- a/a.js\n+++ b/a.js\n@@ -1 +1,2 @@\n+// why\n a();\n' });
    await h.decisions.approve({ id: filed.id, actor: 'test', idempotencyKey: `a-${filed.id}` });
    const done = await h.decisions.execute({ id: filed.id, actor: 'test', idempotencyKey: `e-${filed.id}` });
    await h.surface.idle();
    expect(done.status).toBe('implemented');
    return done;
  }

  it('offers Roll back on an implemented proposal’s message', async () => {
    const done = await implemented();
    const update = h.slack
      .calls('chat.update')
      .filter((c) => JSON.stringify(c.body.blocks).includes(`${done.id}|${done.version}`))
      .at(-1);
    expect(buttonsOf(update!.body.blocks)).toEqual([ACTIONS.rollback, ACTIONS.details]);
  });

  it('opens a modal asking why for an executor, and rolls back through the executor with the reason and actor in history', async () => {
    const done = await implemented();
    h.slack.reset();
    const click = await h.click(ACTIONS.rollback, done, APPROVER);
    expect(click.status).toBe(200);
    await h.surface.idle();
    const [open] = h.slack.calls('views.open');
    expect(open?.body.view.callback_id).toBe(VIEWS.rollback);
    expect(JSON.parse(open!.body.view.private_metadata)).toMatchObject({ id: done.id, version: done.version });

    const submitted = await h.submitReason(VIEWS.rollback, done, APPROVER, 'p95 got worse after the deploy');
    expect(submitted.status).toBe(200);
    await h.surface.idle();
    const after = await h.store.get(done.id);
    expect(after?.status).toBe('rolled_back');
    expect(after?.history.at(-1)).toMatchObject({
      actor: `slack:${APPROVER}`,
      reason: 'p95 got worse after the deploy',
      to: 'rolled_back',
    });
    // The outcome is told in the thread, as a rollback.
    const told = [...h.slack.calls('chat.postMessage'), ...h.slack.calls('chat.update')].map((c) => JSON.stringify(c.body.blocks));
    expect(told.some((t) => t.includes('Rolled back') && t.includes(APPROVER))).toBe(true);
  });

  it('refuses the button and the modal to an approver who may not execute, and changes nothing', async () => {
    const done = await implemented();
    h.slack.reset();
    await h.click(ACTIONS.rollback, done, OTHER_APPROVER);
    await h.surface.idle();
    expect(h.slack.calls('views.open')).toEqual([]);
    expect(h.slack.calls('chat.postEphemeral').at(-1)?.body.text).toMatch(/not allowed/);

    await h.submitReason(VIEWS.rollback, done, OTHER_APPROVER, 'I would like it gone');
    await h.surface.idle();
    expect((await h.store.get(done.id))?.status).toBe('implemented');
    expect(h.logLines.some((l) => l.audit === 'slack_denied' && l.action === 'rollback' && l.role === 'execute')).toBe(true);
  });

  it('keeps the modal open with an error when no reason is given', async () => {
    const done = await implemented();
    const submitted = await h.submitReason(VIEWS.rollback, done, APPROVER, '  ');
    expect(JSON.parse(submitted.text)).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringMatching(/say why/) } });
    await h.surface.idle();
    expect((await h.store.get(done.id))?.status).toBe('implemented');
  });
});
