import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeHostFromRemote, fileUrl } from '../../../src/adapters/web/code-host-links.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { startSlackHarness, type SlackHarness } from '../slack/slack-harness.ts';
import { PlainClient, startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

describe('the code host from GIT_REMOTE', () => {
  it('reads GitHub and GitLab remotes in https, scp-like ssh and ssh:// form', () => {
    for (const remote of ['https://github.com/acme/shop.git', 'git@github.com:acme/shop.git', 'ssh://git@github.com/acme/shop']) {
      expect(codeHostFromRemote(remote, 'main')).toEqual({ kind: 'github', webUrl: 'https://github.com/acme/shop', ref: 'main' });
    }
    expect(codeHostFromRemote('git@gitlab.com:group/sub/shop.git', 'main')).toEqual({
      kind: 'gitlab',
      webUrl: 'https://gitlab.com/group/sub/shop',
      ref: 'main',
    });
    expect(fileUrl(codeHostFromRemote('https://gitlab.example.org/g/shop', 'main')!, 'src/a b.js', 12)).toBe(
      'https://gitlab.example.org/g/shop/-/blob/main/src/a%20b.js#L12',
    );
  });

  it('gives no links for a remote name, a path or another host', () => {
    for (const remote of ['origin', '/srv/git/shop.git', 'file:///srv/shop', 'https://bitbucket.org/acme/shop', undefined]) {
      expect(codeHostFromRemote(remote, 'main')).toBeNull();
    }
  });
});

describe('the dashboard links out to Slack and the code host', () => {
  let slack: SlackHarness;
  let dash: DashboardHarness;
  let client: PlainClient;
  beforeAll(async () => {
    slack = await startSlackHarness();
    dash = await startDashboard({
      store: slack.store,
      slackPermalink: (id) => slack.surface.permalink(id),
      codeHost: codeHostFromRemote('git@github.com:acme/shop.git', 'main')!,
    });
    client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
  });
  afterAll(async () => {
    await dash.close();
    await slack.close();
  });

  it('links the proposal’s Slack message by its permalink', async () => {
    const proposal = await slack.file();
    const [post] = slack.slack.calls('chat.postMessage');
    const ts = String(post!.response!.ts).replace('.', '');
    const page = await client.get(`/proposals/${proposal.id}`);
    expect(page.text).toContain(`href="https://example.slack.com/archives/${post!.response!.channel}/p${ts}"`);
    expect(page.text).toContain('Open the Slack message');
    expect(slack.slack.calls('chat.getPermalink')).toHaveLength(1);
  });

  it('links file:line evidence, the suspect commit, the subject’s files, the branch and the commit', async () => {
    const proposal = await slack.store.create(
      {
        ...makeDraft({ type: 'bug_fix' }),
        evidence: [
          { label: 'thrown at', value: 'src/orders/format.js:12 in formatOrder' },
          { label: 'suspect commit', value: '3f2a9c81d0 Validate quantities (Ana, 2026-01-20)' },
        ],
        subject: { files: ['src/orders/format.js'] },
      },
      { actor: 'test' },
    );
    await slack.store.transition({
      id: proposal.id,
      to: 'approved',
      actor: 'test',
      idempotencyKey: `a-${proposal.id}`,
    });
    await slack.store.transition({ id: proposal.id, to: 'executing', actor: 'test', idempotencyKey: `e-${proposal.id}` });
    await slack.store.transition({
      id: proposal.id,
      to: 'implemented',
      actor: 'test',
      idempotencyKey: `i-${proposal.id}`,
      changes: { execution: { branch: 'improvement/x', commit: 'abcdef1234567890' } },
    });
    const page = (await client.get(`/proposals/${proposal.id}`)).text;
    const base = 'https://github.com/acme/shop';
    expect(page).toContain(`href="${base}/blob/main/src/orders/format.js#L12"`);
    expect(page).toContain(`href="${base}/commit/3f2a9c81d0"`);
    expect(page).toContain(`href="${base}/blob/main/src/orders/format.js"`);
    expect(page).toContain(`href="${base}/tree/improvement/x"`);
    expect(page).toContain(`href="${base}/commit/abcdef1234567890"`);
  });
});

describe('the dashboard without Slack or a code host', () => {
  let dash: DashboardHarness;
  let client: PlainClient;
  beforeAll(async () => {
    dash = await startDashboard();
    client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
  });
  afterAll(async () => {
    await dash.close();
  });

  it('shows file:line as text and no Slack link', async () => {
    const proposal = await dash.store.create(
      {
        ...makeDraft({ type: 'bug_fix' }),
        evidence: [{ label: 'thrown at', value: 'src/orders/format.js:12 in formatOrder' }],
      },
      { actor: 'test' },
    );
    const page = (await client.get(`/proposals/${proposal.id}`)).text;
    expect(page).toContain('src/orders/format.js:12 in formatOrder');
    expect(page).not.toContain('github.com');
    expect(page).not.toContain('Open the Slack message');
  });
});
