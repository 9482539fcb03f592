/** `POST /api/improvements/proposals/:id/revise` over real HTTP, on the revisions of a real repository, executor and Claude (fake). */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/adapters/http/http-app.ts';
import { silentLogger } from '../../../src/logging.ts';
import { createDecisions } from '../../../src/proposals/decisions.ts';
import { createRevisionWorld, REVISED_PATCH, revisionReply, type RevisionWorld } from '../../helpers/revision-world.ts';

const TOKEN = 'ci:revise-token-0123456789abcdef';

describe('POST /api/improvements/proposals/:id/revise', () => {
  let world: RevisionWorld;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    world = await createRevisionWorld();
    const logger = silentLogger();
    const app = createHttpApp({
      store: world.harness.store,
      decisions: createDecisions({ store: world.harness.store, logger }),
      revisions: world.revisions,
      apiTokens: [TOKEN],
      logger,
      runCycle: async () => {
        throw new Error('no cycles here');
      },
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/improvements/proposals`;
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await world?.cleanup();
  });

  const post = (id: string, body: unknown, key?: string) =>
    fetch(`${url}/${id}/revise`, {
      method: 'POST',
      headers: {
        authorization: `Bearer revise-token-0123456789abcdef`,
        'content-type': 'application/json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });

  it('answers 202 with the request recorded, and the revision lands after', async () => {
    const proposal = await world.implementedUnderReview();
    world.anthropic.enqueue(revisionReply(REVISED_PATCH));
    const res = await post(proposal.id, { instructions: 'Say why it exists' }, `k-${proposal.id}`);
    expect(res.status).toBe(202);
    expect((await res.json()).proposal.history.at(-1)).toMatchObject({ action: 'revision_requested', actor: 'api:ci' });
    await world.revisions.settled();
    expect((await world.harness.store.get(proposal.id))!.history.at(-1)).toMatchObject({ action: 'revised', actor: 'api:ci' });
  }, 120_000);

  it('answers 409 not_revisable for a merged proposal, 400 without instructions, 404 for an unknown id', async () => {
    const proposal = await world.implementedUnderReview();
    await world.harness.store.transition({ id: proposal.id, to: 'merged', actor: 'github:octo', idempotencyKey: `m-${proposal.id}` });
    const merged = await post(proposal.id, { instructions: 'more' });
    expect(merged.status).toBe(409);
    expect(await merged.json()).toMatchObject({ error: 'not_revisable', message: expect.stringContaining('merged, which is final') });
    expect((await post(proposal.id, { instructions: '  ' })).status).toBe(400);
    expect((await post('perf-20261206-nope', { instructions: 'more' })).status).toBe(404);
  }, 120_000);
});
