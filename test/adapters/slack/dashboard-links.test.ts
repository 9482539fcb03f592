// `any` here is Slack's JSON (recorded calls) read in assertions; typing every shape would hide the wire format.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/views/action-ids.ts';
import { APPROVER, startSlackHarness, type SlackHarness } from './slack-harness.ts';

const PUBLIC_URL = 'https://improve.example.com';

function linkButtons(blocks: any[]): any[] {
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.filter((e: any) => e.url));
}

describe('links from Slack to the dashboard (PUBLIC_URL)', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ surface: { publicUrl: PUBLIC_URL } });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.slack.reset());

  it('gives every proposal message an "Open in dashboard" button to the proposal’s page', async () => {
    const proposal = await h.file();
    const [post] = h.slack.calls('chat.postMessage');
    expect(linkButtons(post!.body.blocks)).toEqual([
      expect.objectContaining({ action_id: ACTIONS.openDashboard, url: `${PUBLIC_URL}/proposals/${proposal.id}` }),
    ]);
  });

  it('keeps the button when the message is re-rendered after a decision', async () => {
    const proposal = await h.file();
    await h.click(ACTIONS.approve, proposal, APPROVER);
    await h.surface.idle();
    const update = h.slack.calls('chat.update').at(-1);
    expect(linkButtons(update!.body.blocks).map((b) => b.url)).toEqual([`${PUBLIC_URL}/proposals/${proposal.id}`]);
  });

  it('acks a click on the link button and changes nothing', async () => {
    const proposal = await h.file();
    h.slack.reset();
    const response = await h.click(ACTIONS.openDashboard, proposal, APPROVER);
    expect(response.status).toBe(200);
    await h.surface.idle();
    expect(await h.store.get(proposal.id)).toMatchObject({ status: 'pending', version: proposal.version });
    expect(h.slack.calls()).toEqual([]);
  });

  it('links the proposals /improve lists, and the one /improve show shows', async () => {
    const proposal = await h.file({ title: 'Listed with a link' });
    await h.command('proposals pending', APPROVER);
    await h.surface.idle();
    expect(JSON.stringify(h.slack.responses().at(-1)?.body)).toContain(`<${PUBLIC_URL}/proposals/${proposal.id}|Listed with a link>`);
    await h.command(`show ${proposal.id}`, APPROVER);
    await h.surface.idle();
    expect(linkButtons(h.slack.responses().at(-1)?.body.blocks ?? []).map((b) => b.url)).toEqual([
      `${PUBLIC_URL}/proposals/${proposal.id}`,
    ]);
  });

  it('links each digest item to its dashboard page', async () => {
    const proposal = await h.file({ title: 'Index the orders table' });
    await h.surface.postDigest(new Date());
    const [digest] = h.slack.calls('chat.postMessage').filter((c) => String(c.body.text).startsWith('Improvement digest'));
    expect(JSON.stringify(digest!.body.blocks)).toContain(`<${PUBLIC_URL}/proposals/${proposal.id}|Index the orders table>`);
  });
});

describe('Slack without PUBLIC_URL', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('posts no dashboard link anywhere, rather than a wrong one', async () => {
    await h.file();
    await h.surface.postDigest(new Date());
    for (const call of h.slack.calls('chat.postMessage')) {
      expect(linkButtons(call.body.blocks)).toEqual([]);
      expect(JSON.stringify(call.body.blocks)).not.toContain('/proposals/');
    }
  });
});
