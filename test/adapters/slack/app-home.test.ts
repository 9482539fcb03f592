// `any` here is Slack's JSON (payloads, recorded calls, log lines) read in assertions; typing every shape would hide the wire format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, encodeTarget } from '../../../src/adapters/slack/views/action-ids.ts';
import { interactionBody, sendSlack } from '../../fakes/slack/signed-request.ts';
import { fixture, homeActionPayload } from '../../fixtures/slack/payloads.ts';
import { APPROVER, SECRET, startSlackHarness, STRANGER, type SlackHarness } from './slack-harness.ts';

describe('the App Home tab', () => {
  let h: SlackHarness;
  const schedule = {
    nextRuns: [{ job: 'daily', at: '2026-11-25T02:00:00.000Z' }],
    lastRuns: [
      {
        job: 'daily',
        slot: '2026-11-24T02:00',
        startedAt: '2026-11-24T02:00:01.000Z',
        finishedAt: '2026-11-24T02:03:00.000Z',
        outcome: 'succeeded',
      },
    ],
  };

  beforeAll(async () => {
    h = await startSlackHarness({ surface: { scheduleStatus: async () => schedule } });
  });
  afterAll(async () => {
    await h.close();
  });

  async function openHome(
    userId: string,
    eventId = `Ev${Date.now()}${Math.random().toString(36).slice(2, 8)}`,
    headers: Record<string, string> = {},
  ): Promise<number> {
    const event = structuredClone(fixture('30_app_home_opened.event.json'));
    event.event.user = userId;
    event.event_id = eventId;
    const { status } = await sendSlack(h.url, { body: JSON.stringify(event), secret: SECRET, contentType: 'application/json', headers });
    await h.surface.idle();
    return status;
  }

  it('publishes metrics, the last and next run, and the pending proposals with buttons for an approver', async () => {
    const proposal = await h.file({ title: 'Waiting on the home tab' });
    expect(await openHome(APPROVER)).toBe(200);
    const publish = h.slack.calls('views.publish').at(-1)!;
    expect(publish.body.user_id).toBe(APPROVER);
    const json = JSON.stringify(publish.body.view.blocks);
    expect(json).toContain('Waiting for you');
    expect(json).toContain('Waiting on the home tab');
    expect(json).toContain(encodeTarget(proposal));
    expect(json).toMatch(/Last run: \*daily\* succeeded/);
    expect(json).toMatch(/Next run: \*daily\* at 2026-11-25T02:00/);
  });

  it('handles an event once when Slack retries its delivery', async () => {
    h.slack.reset();
    expect(await openHome(APPROVER, 'Ev0RETRY01')).toBe(200);
    expect(await openHome(APPROVER, 'Ev0RETRY01', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).toBe(200);
    expect(h.slack.calls('views.publish')).toHaveLength(1);
  });

  it('shows the list without buttons to someone who may not decide', async () => {
    await openHome(STRANGER);
    const publish = h.slack.calls('views.publish').at(-1)!;
    expect(publish.body.user_id).toBe(STRANGER);
    expect(publish.body.view.blocks.some((b: any) => b.type === 'actions')).toBe(false);
  });

  it('approves from the Home tab, answers in a DM when something is refused, and refreshes the tab', async () => {
    const proposal = await h.file();
    await openHome(APPROVER);
    h.slack.reset();
    const approve = homeActionPayload({
      actionId: ACTIONS.approve,
      value: encodeTarget(proposal),
      userId: APPROVER,
      teamId: 'T111',
      appId: 'A111',
    });
    await sendSlack(h.url, { body: interactionBody(approve), secret: SECRET });
    await h.surface.idle();
    expect((await h.store.get(proposal.id))?.status).toBe('approved');
    await h.slack.waitFor(() => h.slack.calls('views.publish').length > 0, 2000);

    const again = homeActionPayload({
      actionId: ACTIONS.approve,
      value: encodeTarget(proposal),
      userId: STRANGER,
      teamId: 'T111',
      appId: 'A111',
    });
    await sendSlack(h.url, { body: interactionBody(again), secret: SECRET });
    await h.surface.idle();
    const dm = h.slack.calls('chat.postMessage').at(-1);
    expect(dm?.body).toMatchObject({ channel: STRANGER });
    expect(dm?.body.text).toMatch(/not allowed/);
  });
});
