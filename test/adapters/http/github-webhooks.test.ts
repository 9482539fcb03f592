import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubWebhooks, validGitHubSignature } from '../../../src/adapters/http/github-webhooks.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { silentLogger } from '../../../src/logging.ts';
import type { ProposalNotifier } from '../../../src/ports/notifier.ts';
import { createPullRequestFollower } from '../../../src/pull-requests/pull-request-follower.ts';
import { useEmbeddedStore } from '../../helpers/embedded.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { deliver, githubPayload } from '../../helpers/github-deliveries.ts';

const SECRET = 'webhook-secret-for-tests';

describe('POST /github/webhooks', () => {
  const current = useEmbeddedStore();
  let server: Server;
  let url: string;
  let told: { action: string; status: string; version: number }[];
  let proposal: Proposal;

  beforeEach(async () => {
    told = [];
    const recorder: ProposalNotifier = {
      async proposalChanged(p, change) {
        told.push({ action: change.action, status: p.status, version: p.version });
      },
    };
    const follower = createPullRequestFollower({ store: current.store, notifiers: [recorder], host: 'github', logger: silentLogger() });
    const app = express();
    app.use(githubWebhooks({ secret: SECRET, apply: (event) => follower.apply(event), logger: silentLogger() }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const filed = await current.store.create(makeDraft(), { actor: 'cycle' });
    for (const to of ['approved', 'executing', 'implemented'] as const)
      await current.store.transition({ id: filed.id, to, actor: 'u', idempotencyKey: `${filed.id}:${to}` });
    proposal = (
      await current.store.note({
        id: filed.id,
        actor: 'github',
        action: 'pull_request_opened',
        idempotencyKey: `${filed.id}:opened`,
        changes: { pullRequest: { host: 'github', number: 1, url: 'https://github.com/acme/shop/pull/1', state: 'open' } },
      })
    ).proposal;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const head = () => `improvement/${proposal.id}`;
  const stored = async () => (await current.store.get(proposal.id))!;

  it('moves the proposal to merged when its pull request is merged, and tells the notifiers', async () => {
    const res = await deliver(url, 'pull_request', githubPayload('pull_request.closed.merged.json', head()), { secret: SECRET });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'applied', proposalId: proposal.id });
    const after = await stored();
    expect(after.status).toBe('merged');
    expect(after.pullRequest).toMatchObject({ number: 1, state: 'merged' });
    expect(after.history.at(-1)).toMatchObject({ action: 'merged', actor: 'github:ana', from: 'implemented', to: 'merged' });
    expect(told).toEqual([{ action: 'merged', status: 'merged', version: after.version }]);
  });

  it('refuses a forged signature with 401 and changes nothing', async () => {
    const body = githubPayload('pull_request.closed.merged.json', head());
    const forged = await deliver(url, 'pull_request', body, { secret: 'not-the-secret' });
    const missing = await deliver(url, 'pull_request', body, { secret: SECRET, signature: '' });
    const sha1 = await deliver(url, 'pull_request', body, { secret: SECRET, signature: 'sha1=0123' });
    expect([forged.status, missing.status, sha1.status]).toEqual([401, 401, 401]);
    expect((await forged.json()).error).toBe('bad_signature');
    // The body was signed for another payload: flipping one byte is a forgery too.
    const signedOther = await deliver(url, 'pull_request', body.replace('"merged": true', '"merged": false'), {
      secret: SECRET,
      signature: `sha256=${(await import('node:crypto')).createHmac('sha256', SECRET).update(body).digest('hex')}`,
    });
    expect(signedOther.status).toBe(401);
    expect(await stored()).toEqual(proposal);
    expect(told).toEqual([]);
  });

  it('applies a replayed delivery once', async () => {
    const body = githubPayload('pull_request_review.submitted.json', head());
    const first = await deliver(url, 'pull_request_review', body, { secret: SECRET, delivery: 'd-review-1' });
    const replay = await deliver(url, 'pull_request_review', body, { secret: SECRET, delivery: 'd-review-1' });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ outcome: 'duplicate', proposalId: proposal.id });
    const after = await stored();
    expect(after.history.filter((h) => h.action === 'review_submitted')).toHaveLength(1);
    expect(after.history.at(-1)?.reason).toBe('ana changes requested: Please keep the cache TTL in config, @ben.');
    expect(after.pullRequest?.review).toBe('changes_requested');
    expect(after.status).toBe('implemented');
    expect(told.map((t) => t.action)).toEqual(['review_submitted']);
  });

  it('records an inline review comment with its file and line', async () => {
    const res = await deliver(url, 'pull_request_review_comment', githubPayload('pull_request_review_comment.created.json', head()), {
      secret: SECRET,
    });
    expect(res.status).toBe(200);
    expect((await stored()).history.at(-1)).toMatchObject({
      action: 'review_comment',
      actor: 'github:ana',
      reason: 'ana on src/health.js:3: This comment belongs above the function.',
    });
    expect(told.map((t) => t.action)).toEqual(['review_comment']);
  });

  it('records finished checks in the history, from a check suite and a check run', async () => {
    await deliver(url, 'check_suite', githubPayload('check_suite.completed.json', head()), { secret: SECRET });
    await deliver(url, 'check_run', githubPayload('check_run.completed.json', head()), { secret: SECRET });
    const after = await stored();
    expect(after.history.slice(-2).map((h) => [h.action, h.reason])).toEqual([
      ['checks_completed', 'GitHub Actions: failure'],
      ['checks_completed', 'test: success'],
    ]);
    expect(after.pullRequest?.checks).toBe('test: success');
  });

  it('moves the proposal to rolled_back when its pull request is closed unmerged', async () => {
    const res = await deliver(url, 'pull_request', githubPayload('pull_request.closed.unmerged.json', head()), { secret: SECRET });
    expect(res.status).toBe(200);
    const after = await stored();
    expect(after.status).toBe('rolled_back');
    expect(after.history.at(-1)?.reason).toMatch(/^pull request #1 was closed without merging; the next cycle files the finding again/);
  });

  it('ignores with 202 what it does not follow: pings, other events and actions, other branches', async () => {
    const ping = await deliver(url, 'ping', JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 }), { secret: SECRET });
    const push = await deliver(url, 'push', JSON.stringify({ ref: 'refs/heads/main' }), { secret: SECRET });
    const labeled = githubPayload('pull_request.closed.merged.json', head()).replace('"action": "closed"', '"action": "labeled"');
    const label = await deliver(url, 'pull_request', labeled, { secret: SECRET });
    const other = await deliver(url, 'pull_request', githubPayload('pull_request.closed.merged.json', 'feature/login'), { secret: SECRET });
    expect([ping.status, push.status, label.status, other.status]).toEqual([202, 202, 202, 202]);
    expect((await other.json()).reason).toBe('feature/login is not an improvement branch');
    expect(await stored()).toEqual(proposal);
  });

  it('answers 400 naming the problem when a signed body is not JSON or not GitHub’s shape, and keeps the proposal', async () => {
    const notJson = await deliver(url, 'pull_request', '{"action": "closed"', { secret: SECRET });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).message).toMatch(/not JSON/);
    const wrong = await deliver(url, 'pull_request', JSON.stringify({ action: 'closed', pull_request: { number: 'one' } }), {
      secret: SECRET,
    });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).message).toMatch(/^The pull_request payload is not GitHub's shape: pull_request\.number/);
    expect(await stored()).toEqual(proposal);
  });
});

describe('validGitHubSignature', () => {
  it("accepts GitHub's documented test vector and nothing else", () => {
    // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!".
    const body = Buffer.from('Hello, World!');
    const header = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(validGitHubSignature("It's a Secret to Everybody", body, header)).toBe(true);
    expect(validGitHubSignature("It's a Secret to Everybody", body, header.slice(0, -2))).toBe(false);
    expect(validGitHubSignature('another secret', body, header)).toBe(false);
    expect(validGitHubSignature("It's a Secret to Everybody", body, undefined)).toBe(false);
  });
});
