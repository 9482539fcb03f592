// `any` here is Slack's JSON (payloads, recorded calls, log lines) read in assertions; typing every shape would hide the wire format.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/views/action-ids.ts';
import { APPROVER, CHANNEL, OTHER_APPROVER, startSlackHarness, STRANGER, type SlackHarness } from './slack-harness.ts';

/** The buttons of the last chat.update of a message, by action id. */
function buttonsOf(blocks: any[]): string[] {
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.action_id));
}

describe('clicking the buttons of a proposal message', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.slack.reset());

  it('posts a new proposal to the channel with Approve, Reject and Details and a top-level text', async () => {
    const proposal = await h.file({ title: 'Cache GET /api/orders/:id' });
    const [post] = h.slack.calls('chat.postMessage');
    expect(post?.body.channel).toBe(CHANNEL);
    expect(post?.body.text).toContain('Cache GET /api/orders/:id');
    expect(buttonsOf(post!.body.blocks)).toEqual([ACTIONS.approve, ACTIONS.reject, ACTIONS.details]);
    expect(post?.token).toBe('xoxb-test-token');
    expect((await h.store.get(proposal.id))?.status).toBe('pending');
  });

  it('approves on an approver’s click, after the ack, and re-renders the message with who and when and only Execute and Details', async () => {
    // A patch to apply: without one (and without an agent) Execute is not offered (see executeAvailability).
    const proposal = await h.file({
      patch: 'diff --git a/src/a.js b/src/a.js\n--- a/src/a.js\n+++ b/src/a.js\n@@ -1 +1,2 @@\n+// why\n a();\n',
    });
    const response = await h.click(ACTIONS.approve, proposal, APPROVER);
    expect(response.status).toBe(200);
    await h.surface.idle();
    const stored = await h.store.get(proposal.id);
    expect(stored?.status).toBe('approved');
    expect(stored?.history.at(-1)?.actor).toBe(`slack:${APPROVER}`);
    const updates = h.slack.calls('chat.update');
    expect(updates).toHaveLength(1);
    const update = updates[0]!;
    const post = h.slack.calls('chat.postMessage')[0]!;
    expect(update.body).toMatchObject({ channel: CHANNEL, ts: post.response?.ts });
    expect(JSON.stringify(update.body.blocks)).toContain(`Approved* by <@${APPROVER}>`);
    expect(buttonsOf(update.body.blocks)).toEqual([ACTIONS.execute, ACTIONS.details]);
    const execute = update.body.blocks.find((b: any) => b.type === 'actions').elements[0];
    expect(execute.confirm?.confirm.text).toBe('Execute');
    expect(execute.confirm?.text.text).toMatch(/”\. Applies the approved patch in a worktree/);
  });

  it('reports each ack’s latency and kind for the metrics', async () => {
    const proposal = await h.file();
    h.acks.length = 0;
    await h.click(ACTIONS.details, proposal, APPROVER);
    await h.surface.idle();
    expect(h.acks).toEqual([{ seconds: expect.any(Number), kind: 'block_actions' }]);
    expect(h.acks[0]!.seconds).toBeGreaterThan(0);
  });

  it('re-renders a stale message instead of deciding on content the clicker never saw', async () => {
    const proposal = await h.file();
    const refreshed = await h.store.refresh({
      id: proposal.id,
      actor: 'system',
      expectedVersion: proposal.version,
      refresh: { summary: 'p95 is now 4100 ms' },
    });
    await h.click(ACTIONS.approve, proposal, APPROVER);
    await h.surface.idle();
    expect(await h.store.get(proposal.id)).toMatchObject({ status: 'pending', version: refreshed.version });
    const [update] = h.slack.calls('chat.update');
    expect(JSON.stringify(update?.body.blocks)).toContain('p95 is now 4100 ms');
    expect(h.slack.calls('chat.postEphemeral')[0]?.body.text).toMatch(/changed after the message was shown/);
  });

  it('acks a button it does not know at once and changes nothing', async () => {
    const proposal = await h.file();
    const response = await h.click('legacy.button', proposal, APPROVER);
    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(3000);
    await h.surface.idle();
    expect(await h.store.get(proposal.id)).toMatchObject({ status: 'pending', version: proposal.version });
    expect(h.slack.calls().filter((c) => c.method !== 'chat.postMessage')).toEqual([]);
  });

  it('lets a member of an approver user group approve, looking the group up once for two clicks', async () => {
    const first = await h.file();
    const second = await h.file();
    await h.click(ACTIONS.approve, first, OTHER_APPROVER);
    await h.click(ACTIONS.approve, second, OTHER_APPROVER);
    await h.surface.idle();
    expect((await h.store.get(first.id))?.status).toBe('approved');
    expect((await h.store.get(second.id))?.status).toBe('approved');
    expect(h.slack.calls('usergroups.users.list')).toHaveLength(1);
  });

  it('answers a stranger’s click with an ephemeral "not allowed" and changes nothing', async () => {
    const proposal = await h.file();
    const audits = h.logLines.length;
    const response = await h.click(ACTIONS.approve, proposal, STRANGER);
    expect(response.status).toBe(200);
    await h.surface.idle();
    const stored = await h.store.get(proposal.id);
    expect(stored).toMatchObject({ status: 'pending', version: proposal.version });
    expect(h.slack.calls('chat.update')).toHaveLength(0);
    const [ephemeral] = h.slack.calls('chat.postEphemeral');
    expect(ephemeral?.body).toMatchObject({ channel: CHANNEL, user: STRANGER });
    expect(ephemeral?.body.text).toMatch(/not allowed/);
    expect(
      h.logLines.slice(audits).filter((l) => l.audit === 'slack_denied' && l.reason === 'not_listed' && l.user === STRANGER),
    ).toHaveLength(1);
  });

  it('gives one transition and one message update for 50 concurrent clicks, and a friendly ephemeral to the others', async () => {
    const proposal = await h.file();
    const clickers = Array.from({ length: 50 }, (_, i) => (i % 2 ? APPROVER : OTHER_APPROVER));
    const responses = await Promise.all(clickers.map((user) => h.click(ACTIONS.approve, proposal, user)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await h.surface.idle();
    const stored = await h.store.get(proposal.id);
    expect(stored?.status).toBe('approved');
    expect(stored?.version).toBe(proposal.version + 1);
    expect(stored?.history.filter((e) => e.to === 'approved')).toHaveLength(1);
    expect(h.slack.calls('chat.update')).toHaveLength(1);
    const ephemerals = h.slack.calls('chat.postEphemeral');
    expect(ephemerals).toHaveLength(49);
    expect(ephemerals.every((e) => /got there first/.test(e.body.text))).toBe(true);
  });

  it('changes nothing when Slack retries a click that was already handled', async () => {
    const proposal = await h.file();
    const first = await h.click(ACTIONS.approve, proposal, APPROVER);
    await h.surface.idle();
    const afterFirst = await h.store.get(proposal.id);
    const updates = h.slack.calls('chat.update').length;
    const retry = await h.sendPayload(first.payload, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    await h.surface.idle();
    const afterRetry = await h.store.get(proposal.id);
    expect(afterRetry?.version).toBe(afterFirst?.version);
    expect(afterRetry?.history).toHaveLength(afterFirst!.history.length);
    expect(h.slack.calls('chat.update')).toHaveLength(updates);
    expect(h.slack.calls('chat.postEphemeral')).toHaveLength(0);
  });

  it('opens the reject modal and records the reason from its submission in the audit trail', async () => {
    const proposal = await h.file();
    await h.click(ACTIONS.reject, proposal, APPROVER);
    await h.surface.idle();
    const [open] = h.slack.calls('views.open');
    expect(open?.body.view.callback_id).toBe('proposal.reject.modal');
    expect(JSON.parse(open!.body.view.private_metadata)).toMatchObject({ id: proposal.id, version: proposal.version, channel: CHANNEL });
    expect((await h.store.get(proposal.id))?.status).toBe('pending');

    const submitted = await h.submitReject(proposal, APPROVER, 'The cache would serve stale prices <!channel>');
    expect(submitted.status).toBe(200);
    await h.surface.idle();
    const stored = await h.store.get(proposal.id);
    expect(stored?.status).toBe('rejected');
    expect(stored?.history.at(-1)).toMatchObject({
      to: 'rejected',
      actor: `slack:${APPROVER}`,
      reason: 'The cache would serve stale prices <!channel>',
    });
    const [update] = h.slack.calls('chat.update');
    const rendered = JSON.stringify(update?.body.blocks);
    expect(rendered).toContain('stale prices &lt;!channel&gt;');
    expect(rendered).not.toContain('<!channel>');
    expect(buttonsOf(update!.body.blocks)).toEqual([ACTIONS.details]);
  });

  it('keeps the reject modal open with an error when the reason is empty', async () => {
    const proposal = await h.file();
    const submitted = await h.submitReject(proposal, APPROVER, '  ');
    expect(submitted.status).toBe(200);
    expect(JSON.parse(submitted.text)).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    await h.surface.idle();
    expect((await h.store.get(proposal.id))?.status).toBe('pending');
  });

  it('refuses a reject submission from someone who is not an approver', async () => {
    const proposal = await h.file();
    await h.submitReject(proposal, STRANGER, 'not wanted');
    await h.surface.idle();
    expect((await h.store.get(proposal.id))?.status).toBe('pending');
    expect(h.slack.calls('chat.postEphemeral')[0]?.body.text).toMatch(/not allowed/);
  });

  it('opens Details for anyone in the workspace, without changing anything', async () => {
    const proposal = await h.file();
    await h.click(ACTIONS.details, proposal, STRANGER);
    await h.surface.idle();
    const [open] = h.slack.calls('views.open');
    expect(open?.body.view.callback_id).toBe('proposal.details.modal');
    expect((await h.store.get(proposal.id))?.version).toBe(proposal.version);
  });

  it('limits Execute to the executors and says so when no executor is configured', async () => {
    const proposal = await h.file();
    await h.click(ACTIONS.approve, proposal, APPROVER);
    await h.surface.idle();
    const approved = (await h.store.get(proposal.id))!;
    h.slack.reset();
    await h.click(ACTIONS.execute, approved, OTHER_APPROVER);
    await h.surface.idle();
    expect(h.slack.calls('chat.postEphemeral')[0]?.body.text).toMatch(/not allowed/);
    await h.click(ACTIONS.execute, approved, APPROVER);
    await h.surface.idle();
    expect(h.slack.calls('chat.postEphemeral')[1]?.body.text).toMatch(/No executor is configured/);
    expect((await h.store.get(proposal.id))?.status).toBe('approved');
  });

  it('re-renders the Slack message when a decision is made elsewhere (the API)', async () => {
    const proposal = await h.file();
    await h.decisions.reject({ id: proposal.id, actor: 'api:ops', idempotencyKey: `api:${proposal.id}`, reason: 'duplicate of another' });
    // The decision does not wait for Slack; its notification is done once the decisions have settled.
    await h.decisions.settled();
    const [update] = h.slack.calls('chat.update');
    expect(JSON.stringify(update?.body.blocks)).toContain('Rejected* by api:ops');
  });
});
