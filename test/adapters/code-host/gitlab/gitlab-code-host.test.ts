import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitLabCodeHost } from '../../../../src/adapters/code-host/gitlab/gitlab-code-host.ts';
import { silentLogger } from '../../../../src/logging.ts';
import { createPullRequestFollower } from '../../../../src/pull-requests/pull-request-follower.ts';
import { pollPullRequests } from '../../../../src/pull-requests/pull-request-poll.ts';
import { startFakeGitLab, type FakeGitLab } from '../../../fakes/gitlab/fake-gitlab-server.ts';
import { makeDraft } from '../../../helpers/drafts.ts';
import { useEmbeddedStore } from '../../../helpers/embedded.ts';

describe('GitLab merge requests behind the code-host port, against the GitLab fake', () => {
  const current = useEmbeddedStore();
  let gitlab: FakeGitLab;
  let waits: number[];
  const hostFor = (overrides: { token?: string; timeoutMs?: number } = {}) =>
    createGitLabCodeHost({
      token: overrides.token ?? 'glpat-test',
      project: gitlab.project,
      apiUrl: gitlab.apiUrl,
      timeoutMs: overrides.timeoutMs ?? 5000,
      maxRateLimitRetries: 2,
      maxRateLimitWaitMs: 60_000,
      logger: silentLogger(),
      sleep: async (ms) => void waits.push(ms),
    });

  beforeEach(async () => {
    gitlab = await startFakeGitLab();
    waits = [];
  });
  afterEach(() => gitlab.stop());

  it('opens a merge request into the default branch, then updates it instead of opening a second', async () => {
    const host = hostFor();
    expect(await host.openOrUpdatePullRequest({ head: 'improvement/g1', title: 'a', body: 'one' })).toMatchObject({
      number: 1,
      created: true,
    });
    expect(await host.openOrUpdatePullRequest({ head: 'improvement/g1', title: 'b', body: 'two' })).toMatchObject({
      number: 1,
      created: false,
    });
    expect(gitlab.mergeRequests).toHaveLength(1);
    expect(gitlab.mergeRequests[0]).toMatchObject({ title: 'b', description: 'two', target_branch: 'main' });
  });

  it('reads state, the newest pipeline and the notes; posts a note', async () => {
    const host = hostFor();
    await host.openOrUpdatePullRequest({ head: 'improvement/g2', title: 't', body: 'b' });
    gitlab.pipelines.set(1, [
      { id: 1, status: 'failed', sha: 'x' },
      { id: 2, status: 'running', sha: 'x' },
    ]);
    await host.comment(1, 'Please look.');
    const state = await host.pullRequestState(1);
    expect(state).toMatchObject({
      number: 1,
      state: 'open',
      head: 'improvement/g2',
      checks: { state: 'pending', summary: 'pipeline running' },
    });
    expect(state.reviews).toEqual([expect.objectContaining({ author: 'improvement-bot', state: 'commented', body: 'Please look.' })]);
    gitlab.mergeRequests[0]!.state = 'merged';
    expect((await host.pullRequestState(1)).state).toBe('merged');
  });

  it('waits out a 429 as Retry-After asks, and names the call when GitLab refuses', async () => {
    gitlab.rateLimitNext(2, 3);
    await hostFor().openOrUpdatePullRequest({ head: 'improvement/g3', title: 't', body: 'b' });
    expect(waits).toEqual([3000, 3000]);
    gitlab.rateLimitNext(3, 1);
    await expect(hostFor().pullRequestState(1)).rejects.toThrow(/GitLab rate-limited GET \/merge_requests\/1 \(429\); 2 retries made/);
    await expect(hostFor({ token: 'wrong' }).comment(1, 'x')).rejects.toThrow(
      /GitLab answered 401 on POST \/merge_requests\/1\/notes: "401 Unauthorized"/,
    );
  });

  it('follows a merge request by polling: a note reaches the history, a merge moves the proposal to merged', async () => {
    const filed = await current.store.create(makeDraft(), { actor: 'cycle' });
    for (const to of ['approved', 'executing', 'implemented'] as const)
      await current.store.transition({ id: filed.id, to, actor: 'u', idempotencyKey: `${filed.id}:${to}` });
    const host = hostFor();
    const opened = await host.openOrUpdatePullRequest({ head: `improvement/${filed.id}`, title: 't', body: 'b' });
    await current.store.note({
      id: filed.id,
      actor: 'gitlab',
      action: 'pull_request_opened',
      idempotencyKey: `${filed.id}:mr`,
      changes: { pullRequest: { host: 'gitlab', number: opened.number, url: opened.url, state: 'open' } },
    });
    await new Promise((r) => setTimeout(r, 5));
    gitlab.notes.set(1, [{ id: 1, body: 'Ship it.', system: false, created_at: new Date().toISOString(), author: { username: 'ana' } }]);
    gitlab.pipelines.set(1, [{ id: 9, status: 'success', sha: 'x' }]);
    const follower = createPullRequestFollower({ store: current.store, notifiers: [], host: 'gitlab', logger: silentLogger() });
    const poll = () => pollPullRequests({ store: current.store, codeHost: host, apply: (e) => follower.apply(e), logger: silentLogger() });
    expect(await poll()).toEqual({ polled: 1, applied: 2, failed: 0 });
    gitlab.mergeRequests[0]!.state = 'merged';
    expect(await poll()).toEqual({ polled: 1, applied: 1, failed: 0 });
    const stored = (await current.store.get(filed.id))!;
    expect(stored.status).toBe('merged');
    expect(stored.history.slice(-3).map((h) => [h.action, h.actor, h.reason])).toEqual([
      ['review_submitted', 'gitlab:ana', 'ana commented: Ship it.'],
      ['checks_completed', 'gitlab:checks', 'checks: pipeline success'],
      ['merged', 'gitlab:poll', 'merge request !1 was merged'],
    ]);
  });
});
