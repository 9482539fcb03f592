/**
 * A merge-request note addressed to the app, delivered to POST /gitlab/webhooks, with the member's
 * access level read from the GitLab fake: a developer's request reaches the revisions (which answer
 * on the merge request, here that the offline writer cannot revise), a guest's is only recorded.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitLabCodeHost } from '../../src/adapters/code-host/gitlab/gitlab-code-host.ts';
import { gitlabWebhooks } from '../../src/adapters/http/gitlab-webhooks.ts';
import { createTemplateWriter } from '../../src/adapters/llm/offline/template-writer.ts';
import type { Proposal } from '../../src/domain/proposal.ts';
import { silentLogger } from '../../src/logging.ts';
import { createRevisions } from '../../src/proposals/revisions.ts';
import { createCommentCommands } from '../../src/pull-requests/comment-commands.ts';
import { createPullRequestFollower } from '../../src/pull-requests/pull-request-follower.ts';
import { pollPullRequests } from '../../src/pull-requests/pull-request-poll.ts';
import { GOOD_PATCH } from '../adapters/executor/harness.ts';
import { startFakeGitLab, type FakeGitLab } from '../fakes/gitlab/fake-gitlab-server.ts';
import { makeDraft } from '../helpers/drafts.ts';
import { useEmbeddedStore } from '../helpers/embedded.ts';

const SECRET = 'gitlab-revise-secret';

function note(head: string, user: { id: number; username: string }, text: string): string {
  const payload = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'gitlab', 'note.merge_request.json'), 'utf8'));
  payload.merge_request.source_branch = head;
  payload.user = { ...payload.user, ...user };
  payload.object_attributes.note = text;
  return JSON.stringify(payload);
}

describe('a merge-request note addressed to the app', () => {
  const current = useEmbeddedStore();
  let gitlab: FakeGitLab;
  let server: Server;
  let url: string;
  let proposal: Proposal;
  let iid: number;
  let commands: ReturnType<typeof createCommentCommands>;
  let codeHost: ReturnType<typeof createGitLabCodeHost>;

  beforeEach(async () => {
    gitlab = await startFakeGitLab({ token: 'glpat-revise' });
    gitlab.addMember({ id: 7, username: 'dev' }, 30);
    gitlab.addMember({ id: 8, username: 'guest' }, 10);
    const logger = silentLogger();
    codeHost = createGitLabCodeHost({
      token: 'glpat-revise',
      project: gitlab.project,
      apiUrl: gitlab.apiUrl,
      timeoutMs: 5000,
      maxRateLimitRetries: 0,
      maxRateLimitWaitMs: 0,
      logger,
    });
    const follower = createPullRequestFollower({ store: current.store, notifiers: [], host: 'gitlab', logger });
    const revisions = createRevisions({
      store: current.store,
      writer: createTemplateWriter({ readFile: async () => null }),
      notifiers: [],
      logger,
    });
    commands = createCommentCommands({ follower, codeHost, store: current.store, revisions, appName: 'loop-bot', logger });
    const app = express().use(gitlabWebhooks({ secret: SECRET, apply: (event) => commands.apply(event), logger }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const filed = await current.store.create(makeDraft({ patch: GOOD_PATCH }), { actor: 'cycle' });
    await current.store.transition({ id: filed.id, to: 'approved', actor: 'grace', idempotencyKey: `${filed.id}:approved` });
    proposal = (await current.store.get(filed.id))!;
    iid = (await codeHost.openOrUpdatePullRequest({ head: `improvement/${proposal.id}`, title: 't', body: 'b' })).number;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gitlab.stop();
  });

  const send = (body: string) =>
    fetch(`${url}/gitlab/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gitlab-event': 'Note Hook',
        'x-gitlab-token': SECRET,
        'x-gitlab-event-uuid': randomUUID(),
      },
      body,
    });

  it("hands a developer's request to the revisions, which answer on the merge request", async () => {
    const res = await send(note(`improvement/${proposal.id}`, { id: 7, username: 'dev' }, '@loop-bot revise keep the TTL in config'));
    expect(await res.json()).toMatchObject({ outcome: 'applied', revision: 'ignored' });
    expect((await current.store.get(proposal.id))!.history.slice(-2).map((h) => [h.action, h.actor])).toEqual([
      ['review_submitted', 'gitlab:dev'],
      ['revision_ignored', 'gitlab:dev'],
    ]);
    expect(gitlab.notes.get(iid)?.map((n) => n.body)).toEqual([
      'Not revised: Revising needs ANTHROPIC_API_KEY: the offline template writer cannot revise a patch',
    ]);
  });

  it("records a guest's request as ignored, reads the member's level by id, and says nothing on the merge request", async () => {
    const res = await send(note(`improvement/${proposal.id}`, { id: 8, username: 'guest' }, '/improve revise drop the tests'));
    expect(await res.json()).toMatchObject({ outcome: 'applied', revision: 'ignored' });
    expect((await current.store.get(proposal.id))!.history.at(-1)).toMatchObject({
      action: 'revision_ignored',
      reason: 'guest has no write access to the repository, so the revision request was not acted on',
    });
    expect(gitlab.requests.some((r) => r.path.endsWith('/members/all/8'))).toBe(true);
    expect(gitlab.notes.get(iid) ?? []).toEqual([]);
  });

  it("reads a note seen by the poll the same way, finding the author's member id by username", async () => {
    for (const to of ['executing', 'implemented'] as const)
      await current.store.transition({
        id: proposal.id,
        to,
        actor: 'executor',
        idempotencyKey: `${proposal.id}:${to}`,
        ...(to === 'implemented' ? { changes: { execution: { branch: `improvement/${proposal.id}` } } } : {}),
      });
    await current.store.note({
      id: proposal.id,
      actor: 'gitlab',
      action: 'pull_request_opened',
      idempotencyKey: `${proposal.id}:opened`,
      changes: { pullRequest: { host: 'gitlab', number: iid, url: 'https://gitlab.example/mr', state: 'open' } },
    });
    gitlab.notes.set(iid, [
      { id: 1, body: '/improve revise keep the TTL', system: false, created_at: new Date().toISOString(), author: { username: 'dev' } },
    ]);
    const counts = await pollPullRequests({
      store: current.store,
      codeHost,
      apply: (event) => commands.apply(event),
      logger: silentLogger(),
    });
    expect(counts).toMatchObject({ polled: 1, failed: 0 });
    expect(gitlab.requests.some((r) => r.path === '/api/v4/users')).toBe(true);
    expect((await current.store.get(proposal.id))!.history.at(-1)).toMatchObject({ action: 'revision_ignored', actor: 'gitlab:dev' });
    expect(gitlab.notes.get(iid)?.at(-1)?.body).toMatch(/^Not revised: Revising needs ANTHROPIC_API_KEY/);
  });
});
