import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/adapters/code-host/github/github-client.ts';
import { createGitHubCodeHost } from '../../src/adapters/code-host/github/github-code-host.ts';
import type { Proposal } from '../../src/domain/proposal.ts';
import { silentLogger } from '../../src/logging.ts';
import type { CodeHost } from '../../src/ports/code-host.ts';
import type { ProposalNotifier } from '../../src/ports/notifier.ts';
import { createPullRequestFollower } from '../../src/pull-requests/pull-request-follower.ts';
import { createPullRequestOpener } from '../../src/pull-requests/pull-request-opener.ts';
import { pollPullRequests } from '../../src/pull-requests/pull-request-poll.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/fake-github-server.ts';
import { makeDraft } from '../helpers/drafts.ts';
import { useEmbeddedStore } from '../helpers/embedded.ts';

describe('pull requests for implemented proposals, with @octokit/rest against the GitHub fake', () => {
  const current = useEmbeddedStore();
  let github: FakeGitHub;
  let codeHost: CodeHost;
  let told: string[];
  const recorder: ProposalNotifier = {
    async proposalChanged(_p, change) {
      told.push(change.action);
    },
  };

  beforeEach(async () => {
    github = await startFakeGitHub();
    told = [];
    const octokit = createGitHubClient({
      auth: { token: 'ghp_test' },
      apiUrl: github.baseUrl,
      timeoutMs: 5000,
      maxRateLimitRetries: 1,
      maxRateLimitWaitMs: 60_000,
      logger: silentLogger(),
      sleep: async () => undefined,
    });
    codeHost = createGitHubCodeHost(octokit, 'acme/shop');
  });
  afterEach(() => github.stop());

  async function implemented(): Promise<Proposal> {
    const filed = await current.store.create(makeDraft({ summary: 'Cache it, cc @platform-team.' }), { actor: 'cycle' });
    await current.store.transition({ id: filed.id, to: 'approved', actor: 'U123ANA', idempotencyKey: `${filed.id}:a` });
    await current.store.transition({ id: filed.id, to: 'executing', actor: 'U123ANA', idempotencyKey: `${filed.id}:e` });
    const done = await current.store.transition({
      id: filed.id,
      to: 'implemented',
      actor: 'executor',
      idempotencyKey: `${filed.id}:i`,
      changes: {
        execution: {
          branch: `improvement/${filed.id}`,
          commit: 'c0ffee1234',
          testSummary: 'tests passed: 12 passed (base: 12 passed)',
          diffstat: ' src/a.js | 1 +',
        },
      },
    });
    return done.proposal;
  }

  const openerWith = (
    links = { slack: 'https://slack.com/archives/C1/p1700000000000100', dashboard: 'https://loop.example/proposals/x' },
  ) => createPullRequestOpener({ codeHost, store: current.store, notifiers: [recorder], links: async () => links, logger: silentLogger() });

  it('opens one pull request with the summary, evidence, test result, rollback plan and links, and records it', async () => {
    const proposal = await implemented();
    const opener = openerWith();
    // Told twice at once (two notifier paths, a retry): still one pull request and one record.
    await Promise.all([
      opener.proposalChanged(proposal, { action: 'implemented', actor: 'executor' }),
      opener.proposalChanged(proposal, { action: 'implemented', actor: 'executor' }),
    ]);
    expect(github.pulls).toHaveLength(1);
    const pull = github.pulls[0]!;
    expect(pull.head.ref).toBe(`improvement/${proposal.id}`);
    expect(pull.base.ref).toBe('main');
    expect(pull.title).toBe(`improvement: ${proposal.title}`);
    for (const part of [
      '## Summary\n\nCache it, cc @\u200bplatform-team.',
      '| p95 latency | 2840 ms |',
      'Tests: tests passed: 12 passed (base: 12 passed)',
      '## Rollback plan\n\nRevert the commit; the cache is additive.',
      '[Slack thread](https://slack.com/archives/C1/p1700000000000100) · [Dashboard](https://loop.example/proposals/x)',
      `Proposal \`${proposal.id}\``,
    ])
      expect(pull.body).toContain(part);
    const stored = (await current.store.get(proposal.id))!;
    expect(stored.status).toBe('implemented');
    expect(stored.pullRequest).toEqual({ host: 'github', number: 1, url: pull.html_url, state: 'open' });
    expect(stored.history.filter((h) => h.action.startsWith('pull_request'))).toHaveLength(1);
    expect(told).toEqual(['pull_request_opened']);
  });

  it('updates the open pull request of the branch instead of opening a second one', async () => {
    const proposal = await implemented();
    await openerWith().proposalChanged(proposal, { action: 'implemented', actor: 'executor' });
    const recommitted = { ...proposal, execution: { ...proposal.execution, commit: 'beefcafe99' } };
    await openerWith({ slack: '', dashboard: '' }).proposalChanged(recommitted, { action: 'implemented', actor: 'executor' });
    expect(github.pulls).toHaveLength(1);
    expect((await current.store.get(proposal.id))!.history.at(-1)).toMatchObject({ action: 'pull_request_updated' });
  });

  it('records a code host that keeps refusing as pull_request_failed; the change stays implemented', async () => {
    const proposal = await implemented();
    github.rateLimitNext(5, 'secondary', 1);
    await openerWith().proposalChanged(proposal, { action: 'implemented', actor: 'executor' });
    const stored = (await current.store.get(proposal.id))!;
    expect(stored.status).toBe('implemented');
    expect(stored.history.at(-1)).toMatchObject({ action: 'pull_request_failed', reason: expect.stringMatching(/GitHub rate-limited/) });
    expect(told).toEqual(['pull_request_failed']);
  });

  it('does nothing for other changes, without a pushed commit, or when the executor merged the change itself', async () => {
    const proposal = await implemented();
    await openerWith().proposalChanged(proposal, { action: 'approved', actor: 'U1' });
    await openerWith().proposalChanged({ ...proposal, execution: {} }, { action: 'implemented', actor: 'executor' });
    const mergedByExecutor = {
      ...proposal,
      history: [...proposal.history.slice(0, -1), { ...proposal.history.at(-1)!, reason: 'merged into main' }],
    };
    await openerWith().proposalChanged(mergedByExecutor, { action: 'implemented', actor: 'executor' });
    expect(github.requests).toHaveLength(0);
  });

  it('tells the pull request why the change was rolled back, unless the pull request itself closed it', async () => {
    const proposal = await implemented();
    await openerWith().proposalChanged(proposal, { action: 'implemented', actor: 'executor' });
    const opened = (await current.store.get(proposal.id))!;
    const rolled = await current.store.transition({
      id: proposal.id,
      to: 'rolled_back',
      actor: 'U123ANA',
      reason: 'p95 got worse, cc @oncall',
      idempotencyKey: `${proposal.id}:rb`,
    });
    await openerWith().proposalChanged(rolled.proposal, { action: 'rolled_back', actor: 'U123ANA' });
    expect(github.comments).toEqual([{ issue: 1, body: 'Rolled back in improvement-loop by U123ANA: p95 got worse, cc @\u200boncall' }]);
    await openerWith().proposalChanged({ ...opened, status: 'rolled_back' }, { action: 'rolled_back', actor: 'github:ben' });
    expect(github.comments).toHaveLength(1);
  });

  it('polls without webhooks: reviews and checks reach the history once, a merge moves the proposal to merged', async () => {
    const proposal = await implemented();
    await openerWith().proposalChanged(proposal, { action: 'implemented', actor: 'executor' });
    const follower = createPullRequestFollower({ store: current.store, notifiers: [recorder], host: 'github', logger: silentLogger() });
    const poll = () => pollPullRequests({ store: current.store, codeHost, apply: (e) => follower.apply(e), logger: silentLogger() });
    github.addCheckRun(github.pulls[0]!.head.sha, { name: 'test', status: 'completed', conclusion: 'success' });
    github.addReview(1, { login: 'ana', state: 'APPROVED', body: 'Looks right.' });
    expect(await poll()).toEqual({ polled: 1, applied: 2, failed: 0 });
    expect(await poll()).toEqual({ polled: 1, applied: 0, failed: 0 });
    github.merge(1);
    expect(await poll()).toEqual({ polled: 1, applied: 1, failed: 0 });
    const stored = (await current.store.get(proposal.id))!;
    expect(stored.status).toBe('merged');
    expect(stored.history.slice(-3).map((h) => [h.action, h.reason])).toEqual([
      ['review_submitted', 'ana approved: Looks right.'],
      ['checks_completed', 'checks: 1 passed'],
      ['merged', 'pull request #1 was merged'],
    ]);
    // A merged proposal is no longer polled.
    expect(await poll()).toEqual({ polled: 0, applied: 0, failed: 0 });
    expect(told).toEqual(['pull_request_opened', 'review_submitted', 'checks_completed', 'merged']);
  });
});
