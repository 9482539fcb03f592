import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFileSlackState } from '../../../src/adapters/slack/state/file-slack-state.ts';
import { StoreUnavailable } from '../../../src/domain/errors.ts';
import { CHANNEL, startSlackHarness, type SlackHarness } from './slack-harness.ts';

describe('keeping Slack in step with the store', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.slack.reset());

  it('updates the existing message when a finding is seen again instead of posting a new one', async () => {
    const proposal = await h.file();
    const refreshed = await h.store.refresh({
      id: proposal.id,
      actor: 'system',
      expectedVersion: proposal.version,
      refresh: { evidence: [{ label: 'p95 latency', value: 3900, unit: 'ms' }] },
    });
    await h.surface.notifier.proposalChanged(refreshed, { action: 'evidence_updated', actor: 'system' });
    expect(h.slack.calls('chat.postMessage')).toHaveLength(1);
    const [update] = h.slack.calls('chat.update');
    expect(update?.body.ts).toBe(h.slack.calls('chat.postMessage')[0]?.response?.ts);
    expect(JSON.stringify(update?.body.blocks)).toContain('3900 ms');
    expect(JSON.stringify(update?.body.blocks)).toContain(`${proposal.id}|${refreshed.version}`);
  });

  it('sends hostile text escaped, with parse none and no link names, so Slack adds no mention of its own', async () => {
    await h.file({ title: 'x <!channel>', summary: '<@U0ADMIN> <http://evil.example|Approve> @here' });
    const [post] = h.slack.calls('chat.postMessage');
    expect(post?.body).toMatchObject({ parse: 'none', link_names: 'false' });
    const sent = JSON.stringify(post?.body.blocks) + post?.body.text;
    expect(sent).not.toMatch(/<@U0ADMIN>|<http:|<!channel>|(^|[^\uFF20])@here/);
    expect(sent).toContain('&lt;@U0ADMIN&gt;');
  });

  it('follows an execution with one thread reply, edited in place at each step and into its outcome', async () => {
    const proposal = await h.file();
    const post = h.slack.calls('chat.postMessage')[0]!;
    const executing = { ...proposal, status: 'executing' as const, version: proposal.version + 2 };
    await h.surface.notifier.proposalChanged(executing, { action: 'execution_started', actor: 'slack:UAPPROVER1' });
    for (const stage of ['rails', 'worktree', 'apply', 'tests', 'commit', 'cleanup']) {
      await h.surface.notifier.executionProgress!(executing, { stage, detail: `${stage} detail` });
    }
    const done = {
      ...executing,
      status: 'implemented' as const,
      version: executing.version + 1,
      execution: { branch: 'improve/cache-orders', commit: 'abc1234', testSummary: '12 passed', diffstat: ' src/orders.ts | 12 ++++' },
    };
    await h.surface.notifier.executionProgress!(done, { stage: 'implemented', detail: 'abc1234 on improve/cache-orders' });
    await h.surface.notifier.proposalChanged(done, { action: 'implemented', actor: 'executor' });
    const replies = h.slack.calls('chat.postMessage').slice(1);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toMatchObject({ channel: CHANNEL, thread_ts: post.response?.ts });
    expect(replies[0]!.body.reply_broadcast).not.toBe('true');
    const threadEdits = h.slack.calls('chat.update').filter((c) => c.body.ts === replies[0]!.response?.ts);
    expect(threadEdits.length).toBeGreaterThanOrEqual(2);
    const last = JSON.stringify(threadEdits.at(-1)!.body.blocks);
    expect(last).toMatch(/Implemented[\s\S]*12 passed[\s\S]*improve\/cache-orders[\s\S]*abc1234/);
    expect(last).toMatch(/rails[\s\S]*cleanup/);
    // The proposal message itself: re-rendered for executing and for implemented.
    expect(h.slack.calls('chat.update').filter((c) => c.body.ts === post.response?.ts)).toHaveLength(2);
  });

  it('shows a failed execution as a failure, with its error, never as a success', async () => {
    const proposal = await h.file();
    const executing = { ...proposal, status: 'executing' as const, version: proposal.version + 2 };
    await h.surface.notifier.proposalChanged(executing, { action: 'execution_started', actor: 'slack:UAPPROVER1' });
    await h.surface.notifier.executionProgress!(executing, { stage: 'tests', detail: 'running npm test' });
    const failed = {
      ...executing,
      status: 'failed' as const,
      version: executing.version + 1,
      execution: { error: 'tests failed (exit 1)', outputTail: 'AssertionError: expected 2 to be 3' },
    };
    await h.surface.notifier.proposalChanged(failed, { action: 'execution_failed', actor: 'executor' });
    const [reply] = h.slack.calls('chat.postMessage').slice(1);
    const outcome = h.slack
      .calls('chat.update')
      .filter((c) => c.body.ts === reply!.response?.ts)
      .at(-1)!;
    const shown = JSON.stringify(outcome.body.blocks) + outcome.body.text;
    expect(shown).toMatch(/:x: \*Execution failed\*[\s\S]*tests failed \(exit 1\)[\s\S]*AssertionError/);
    expect(shown).not.toMatch(/:rocket:|:white_check_mark:|Implemented|finished/i);
  });

  it('never renders an older version over a newer one', async () => {
    const proposal = await h.file();
    const newer = { ...proposal, status: 'approved' as const, version: proposal.version + 1 };
    await h.surface.notifier.proposalChanged(newer, { action: 'approved', actor: 'x' });
    await h.surface.notifier.proposalChanged(proposal, { action: 'evidence_updated', actor: 'x' });
    expect(h.slack.calls('chat.update')).toHaveLength(1);
  });

  it('posts to subscribed channels only what matches their types and minimum priority', async () => {
    await h.command('subscribe bug_fix high', 'UAPPROVER1', 'CBUGS');
    await h.surface.idle();
    expect(h.slack.responses().at(-1)?.body.text).toMatch(/Bug fix with priority high/);
    h.slack.reset();
    await h.file({ type: 'bug_fix', priority: 'critical', title: 'critical bug' });
    await h.file({ type: 'bug_fix', priority: 'low', title: 'low bug' });
    await h.file({ type: 'performance', priority: 'critical', title: 'slow endpoint' });
    const posts = h.slack.calls('chat.postMessage');
    expect(posts.filter((c) => c.body.channel === CHANNEL)).toHaveLength(3);
    expect(posts.filter((c) => c.body.channel === 'CBUGS').map((c) => c.body.text)).toEqual([expect.stringContaining('critical bug')]);
    await h.command('unsubscribe', 'UAPPROVER1', 'CBUGS');
    await h.surface.idle();
    h.slack.reset();
    await h.file({ type: 'bug_fix', priority: 'critical' });
    expect(h.slack.calls('chat.postMessage').map((c) => c.body.channel)).toEqual([CHANNEL]);
  });

  it('retries a 429 after Retry-After and drops nothing', async () => {
    h.slack.rateLimit('chat.postMessage', 1, 1);
    const started = Date.now();
    await h.file({ title: 'posted after a rate limit' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const posts = h.slack.calls('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(posts.map((p) => p.body.text)).toEqual([
      expect.stringContaining('posted after a rate limit'),
      expect.stringContaining('posted after a rate limit'),
    ]);
    expect(posts[1]?.response?.ok).toBe(true);
  });
});

describe('the daily digest', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('edits one digest message per day and reminds proposals pending past the configured age', async () => {
    const old = await h.file({ title: 'Waiting since long ago' });
    const later = new Date(Date.parse(old.createdAt) + 50 * 3_600_000);
    h.slack.reset();
    await h.surface.postDigest(later);
    await h.surface.postDigest(new Date(later.getTime() + 60_000));
    const posts = h.slack.calls('chat.postMessage');
    expect(posts).toHaveLength(1);
    const updates = h.slack.calls('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.body.ts).toBe(posts[0]?.response?.ts);
    expect(posts[0]?.body.text).toMatch(/^Improvement digest \d{4}-\d\d-\d\d: \d+ new, \d+ waiting, \d+ implemented$/);
    expect(JSON.stringify(posts[0]?.body.blocks)).toMatch(/Pending longer than 48 h[^"]*Waiting since long ago: 50 h/);
    await h.surface.postDigest(new Date(later.getTime() + 86_400_000));
    expect(h.slack.calls('chat.postMessage')).toHaveLength(2);
  });
});

describe('the notifier’s state during a Redis outage of the request path', () => {
  it('posts and remembers a new proposal through the background state while the handlers’ state fails fast', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'slack-background-state-'));
    const down = () => Promise.reject(new StoreUnavailable('Redis does not answer'));
    const failing = {
      messageRefs: down,
      addMessageRef: down,
      proposalAt: down,
      subscriptions: down,
      subscribe: down,
      unsubscribe: down,
      digestMessage: down,
      setDigestMessage: down,
      claimOnce: down,
    };
    const background = createFileSlackState({ file: path.join(dir, 'state.json') });
    const h = await startSlackHarness({ state: failing, surface: { backgroundState: background } });
    try {
      const proposal = await h.file();
      expect(h.slack.calls('chat.postMessage')).toHaveLength(1);
      expect(await background.messageRefs(proposal.id)).toHaveLength(1);
    } finally {
      await h.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
