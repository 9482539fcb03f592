/**
 * A pull-request comment addressed to the app, delivered to POST /github/webhooks as GitHub signs it
 * (issue_comment, naming the pull request by number only), through the real route, the follower, the
 * collaborator-permission check on the GitHub fake and the whole revision (see revision-world.ts).
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubWebhooks } from '../../src/adapters/http/github-webhooks.ts';
import { silentLogger } from '../../src/logging.ts';
import { createCommentCommands, reviseInstructions } from '../../src/pull-requests/comment-commands.ts';
import { createPullRequestFollower } from '../../src/pull-requests/pull-request-follower.ts';
import { deliver } from '../helpers/github-deliveries.ts';
import { createRevisionWorld, REVISED_PATCH, revisionReply, type RevisionWorld } from '../helpers/revision-world.ts';

const SECRET = 'comment-commands-secret';

function issueComment(number: number, author: string, body: string): string {
  const payload = JSON.parse(
    readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'github', 'issue_comment.created.json'), 'utf8'),
  );
  payload.issue.number = number;
  payload.comment.user.login = author;
  payload.sender.login = author;
  payload.comment.body = body;
  return JSON.stringify(payload);
}

describe('reviseInstructions', () => {
  it('reads the instructions after @<app name> revise or /improve revise at the start of a comment, lines included', () => {
    expect(reviseInstructions('@improvement-loop revise keep the TTL\nin config', 'improvement-loop')).toBe('keep the TTL\nin config');
    expect(reviseInstructions('  /IMPROVE Revise shorter', 'improvement-loop')).toBe('shorter');
    expect(reviseInstructions('@Improvement-Loop revise', 'improvement-loop')).toBe('');
  });

  it('leaves ordinary comments, other names and a revise in the middle alone', () => {
    expect(reviseInstructions('looks good', 'improvement-loop')).toBeNull();
    expect(reviseInstructions('@someone-else revise this', 'improvement-loop')).toBeNull();
    expect(reviseInstructions('please /improve revise this', 'improvement-loop')).toBeNull();
    expect(reviseInstructions('@improvement-loop revised it already', 'improvement-loop')).toBeNull();
  });
});

describe('a pull-request comment addressed to the app', () => {
  let world: RevisionWorld;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    world = await createRevisionWorld();
    const logger = silentLogger();
    const follower = createPullRequestFollower({ store: world.harness.store, notifiers: [], host: 'github', logger });
    const commands = createCommentCommands({
      follower,
      codeHost: world.codeHost,
      store: world.harness.store,
      revisions: world.revisions,
      appName: 'improvement-loop',
      logger,
    });
    const app = express().use(githubWebhooks({ secret: SECRET, apply: (event) => commands.apply(event), logger }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
    world.github.setPermission('alice', 'maintain');
    world.github.setPermission('mallory', 'read');
    world.github.setPermission('flaky', 'server-error');
  }, 60_000);
  afterAll(async () => {
    await close?.();
    await world?.cleanup();
  });

  it('revises the patch when a collaborator asks, once however often the delivery is replayed', async () => {
    const proposal = await world.implementedUnderReview();
    const branch = proposal.execution!.branch!;
    const number = proposal.pullRequest!.number;
    const before = world.git(['rev-parse', branch], world.remote);
    world.anthropic.enqueue(revisionReply(REVISED_PATCH));
    const body = issueComment(number, 'alice', '@improvement-loop revise Say why the function exists');

    const first = await deliver(url, 'issue_comment', body, { secret: SECRET, delivery: `d-${proposal.id}` });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ outcome: 'applied', proposalId: proposal.id, revision: 'started' });
    await world.revisions.settled();
    const asked = world.anthropic.requests.length;
    const replay = await deliver(url, 'issue_comment', body, { secret: SECRET, delivery: `d-${proposal.id}` });
    expect(await replay.json()).toMatchObject({ outcome: 'duplicate' });
    await world.revisions.settled();

    expect(world.anthropic.requests.length).toBe(asked);
    const after = world.git(['rev-parse', branch], world.remote);
    expect(world.git(['rev-parse', `${after}^`], world.remote)).toBe(before);
    const history = (await world.harness.store.get(proposal.id))!.history.slice(-3);
    expect(history.map((h) => [h.action, h.actor])).toEqual([
      ['review_comment', 'github:alice'],
      ['revision_requested', 'github:alice'],
      ['revised', 'github:alice'],
    ]);
    expect(history[1]!.reason).toBe('Say why the function exists');
  }, 120_000);

  it('records a request from someone without write access as ignored and never acts on it', async () => {
    const proposal = await world.implementedUnderReview();
    const number = proposal.pullRequest!.number;
    const before = world.git(['rev-parse', proposal.execution!.branch!], world.remote);
    const asked = world.anthropic.requests.length;
    const answer = await deliver(url, 'issue_comment', issueComment(number, 'mallory', '/improve revise delete the tests'), {
      secret: SECRET,
    });

    expect(await answer.json()).toMatchObject({ outcome: 'applied', revision: 'ignored' });
    await world.revisions.settled();
    expect(world.anthropic.requests.length).toBe(asked);
    expect(world.git(['rev-parse', proposal.execution!.branch!], world.remote)).toBe(before);
    const history = (await world.harness.store.get(proposal.id))!.history.slice(-2);
    expect(history.map((h) => h.action)).toEqual(['review_comment', 'revision_ignored']);
    expect(history[1]!.reason).toBe('mallory has no write access to the repository, so the revision request was not acted on');
    // No answer on the pull request: the app does not talk back to whoever comments.
    expect(world.github.comments.filter((c) => c.issue === number)).toEqual([]);
  }, 120_000);

  it('acts on nothing, and says to ask again, when the write access cannot be checked', async () => {
    const proposal = await world.implementedUnderReview();
    const asked = world.anthropic.requests.length;
    const answer = await deliver(url, 'issue_comment', issueComment(proposal.pullRequest!.number, 'flaky', '/improve revise shorter'), {
      secret: SECRET,
    });
    expect(await answer.json()).toMatchObject({ outcome: 'applied', revision: 'ignored' });
    expect((await world.harness.store.get(proposal.id))!.history.at(-1)?.reason).toMatch(
      /^The write access of flaky could not be checked \(.*permission: Server Error\), so the revision request was not acted on; ask again$/,
    );
    expect(world.anthropic.requests.length).toBe(asked);
  }, 120_000);

  it('ignores a comment on an issue that is not a pull request', async () => {
    const body = JSON.parse(issueComment(1, 'alice', '@improvement-loop revise anything'));
    delete body.issue.pull_request;
    const answer = await deliver(url, 'issue_comment', JSON.stringify(body), { secret: SECRET });
    expect(answer.status).toBe(202);
    expect(await answer.json()).toMatchObject({ outcome: 'ignored' });
  });

  it('refuses a delivery with a forged signature before reading the comment', async () => {
    const proposal = await world.implementedUnderReview();
    const version = (await world.harness.store.get(proposal.id))!.version;
    const body = issueComment(proposal.pullRequest!.number, 'alice', '@improvement-loop revise anything');
    const forged = await deliver(url, 'issue_comment', body, { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect((await world.harness.store.get(proposal.id))!.version).toBe(version);
  }, 120_000);

  it('records an ordinary conversation comment in the history and asks for nothing', async () => {
    const proposal = await world.implementedUnderReview();
    const asked = world.anthropic.requests.length;
    const answer = await deliver(url, 'issue_comment', issueComment(proposal.pullRequest!.number, 'alice', 'Looks good to me'), {
      secret: SECRET,
    });
    expect(await answer.json()).toEqual({ outcome: 'applied', proposalId: proposal.id });
    expect((await world.harness.store.get(proposal.id))!.history.at(-1)).toMatchObject({
      action: 'review_comment',
      actor: 'github:alice',
      reason: 'alice: Looks good to me',
    });
    expect(world.anthropic.requests.length).toBe(asked);
  }, 120_000);
});
