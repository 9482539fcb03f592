import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/views/action-ids.ts';
import { APPROVER, OTHER_APPROVER, startSlackHarness, STRANGER, type SlackHarness } from './slack-harness.ts';

/** docs/RELIABILITY.md test 14: every doubtful click is denied, audited, answered, and changes nothing. */
describe('who may click (fail closed)', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ surface: { groupCacheMs: 0 } });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.slack.reset());

  async function deniedClick(setup: () => void, userId: string, extra: Record<string, string>, reason: string): Promise<void> {
    const proposal = await h.file();
    setup();
    const audited = h.logLines.length;
    const response = await h.click(ACTIONS.approve, proposal, userId, extra);
    expect(response.status).toBe(200);
    await h.surface.idle();
    expect(await h.store.get(proposal.id)).toMatchObject({ status: 'pending', version: proposal.version });
    expect(h.slack.calls('chat.update')).toHaveLength(0);
    const ephemeral = h.slack.calls('chat.postEphemeral').at(-1);
    expect(ephemeral?.body.user).toBe(userId);
    expect(ephemeral?.body.text).toMatch(/not allowed|Bots are not allowed/);
    const denials = h.logLines.slice(audited).filter((l) => l.audit === 'slack_denied');
    expect(denials).toEqual([expect.objectContaining({ reason, user: userId, proposalId: proposal.id })]);
  }

  it('denies a user who is not an approver', () => deniedClick(() => {}, STRANGER, {}, 'not_listed'));
  it('denies an approver clicking from another workspace', () => deniedClick(() => {}, APPROVER, { teamId: 'T999' }, 'wrong_team'));
  it('denies a request made for another app', () => deniedClick(() => {}, APPROVER, { appId: 'A999' }, 'wrong_app'));
  it('denies the app’s own bot user', () => deniedClick(() => {}, 'UBOT111', {}, 'bot_user'));
  it('denies a user-group member when the look-up answers 500', () =>
    deniedClick(() => h.slack.failUsergroups('http500'), OTHER_APPROVER, {}, 'group_lookup_failed'));
  it('denies a user-group member when the look-up is rate limited', () =>
    deniedClick(() => h.slack.failUsergroups('ratelimited'), OTHER_APPROVER, {}, 'group_lookup_failed'));
  it('denies a user-group member when the look-up times out', () =>
    deniedClick(() => h.slack.failUsergroups('timeout'), OTHER_APPROVER, {}, 'group_lookup_failed'));

  it('lets the same member approve once the look-up answers again', async () => {
    const proposal = await h.file();
    await h.click(ACTIONS.approve, proposal, OTHER_APPROVER);
    await h.surface.idle();
    expect((await h.store.get(proposal.id))?.status).toBe('approved');
  });
});

describe('with no approvers configured', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ settings: { approvers: [], executors: [] } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('lets nobody approve and says why', async () => {
    const proposal = await h.file();
    await h.click(ACTIONS.approve, proposal, APPROVER);
    await h.surface.idle();
    expect((await h.store.get(proposal.id))?.status).toBe('pending');
    expect(h.slack.calls('chat.postEphemeral')[0]?.body.text).toMatch(/no approvers are configured/);
    expect(h.logLines.some((l) => l.audit === 'slack_denied' && l.reason === 'nobody_configured')).toBe(true);
  });
});
