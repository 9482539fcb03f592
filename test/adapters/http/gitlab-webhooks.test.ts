import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitlabWebhooks } from '../../../src/adapters/http/gitlab-webhooks.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { silentLogger } from '../../../src/logging.ts';
import { createPullRequestFollower } from '../../../src/pull-requests/pull-request-follower.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { useEmbeddedStore } from '../../helpers/embedded.ts';

const SECRET = 'gitlab-secret-token';
const fixture = (file: string, head: string) =>
  readFileSync(path.join(import.meta.dirname, '..', '..', 'fixtures', 'gitlab', file), 'utf8').replaceAll('__HEAD__', head);

describe('POST /gitlab/webhooks', () => {
  const current = useEmbeddedStore();
  let server: Server;
  let url: string;
  let proposal: Proposal;

  beforeEach(async () => {
    const follower = createPullRequestFollower({ store: current.store, notifiers: [], host: 'gitlab', logger: silentLogger() });
    const app = express();
    app.use(gitlabWebhooks({ secret: SECRET, apply: (event) => follower.apply(event), logger: silentLogger() }));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const filed = await current.store.create(makeDraft(), { actor: 'cycle' });
    for (const to of ['approved', 'executing', 'implemented'] as const)
      await current.store.transition({ id: filed.id, to, actor: 'u', idempotencyKey: `${filed.id}:${to}` });
    proposal = (await current.store.get(filed.id))!;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (event: string, body: string, token = SECRET, uuid: string = randomUUID()) =>
    fetch(`${url}/gitlab/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-token': token, 'x-gitlab-event-uuid': uuid },
      body,
    });
  const head = () => `improvement/${proposal.id}`;

  it('refuses a wrong token with 401 and changes nothing', async () => {
    const res = await send('Merge Request Hook', fixture('merge_request.merge.json', head()), 'guess');
    expect(res.status).toBe(401);
    expect(await current.store.get(proposal.id)).toEqual(proposal);
  });

  it('records a pipeline and a note once per delivery, and moves the proposal to merged on a merge', async () => {
    const uuid = randomUUID();
    expect((await send('Pipeline Hook', fixture('pipeline.success.json', head()), SECRET, uuid)).status).toBe(200);
    expect(await (await send('Pipeline Hook', fixture('pipeline.success.json', head()), SECRET, uuid)).json()).toMatchObject({
      outcome: 'duplicate',
    });
    expect((await send('Note Hook', fixture('note.merge_request.json', head()))).status).toBe(200);
    expect((await send('Merge Request Hook', fixture('merge_request.merge.json', head()))).status).toBe(200);
    const after = (await current.store.get(proposal.id))!;
    expect(after.status).toBe('merged');
    expect(after.history.slice(-3).map((h) => [h.action, h.actor, h.reason])).toEqual([
      ['checks_completed', 'gitlab:pipeline', 'pipeline: success'],
      ['review_submitted', 'gitlab:ana', 'ana commented: Please keep the TTL in config.'],
      ['merged', 'gitlab:ana', 'merge request !1 was merged'],
    ]);
  });

  it('ignores hooks it does not follow with 202', async () => {
    const res = await send('Push Hook', JSON.stringify({ object_kind: 'push' }));
    expect(res.status).toBe(202);
  });
});
