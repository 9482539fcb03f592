// `any` here is Slack's JSON (payloads, recorded calls, log lines) read in assertions; typing every shape would hide the wire format.
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ACTIONS, encodeTarget } from '../../../src/adapters/slack/views/action-ids.ts';
import { createFileSlackState } from '../../../src/adapters/slack/state/file-slack-state.ts';
import { slackRequestGuard, slackSignature } from '../../../src/adapters/slack/security/request-guard.ts';
import { createSlackSurface } from '../../../src/adapters/slack/slack-surface.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { interactionBody, sendSlack, sign } from '../../fakes/slack/signed-request.ts';
import { blockActionPayload, fixture, fixtureText } from '../../fixtures/slack/payloads.ts';
import { APPROVER, CHANNEL, SECRET, startSlackHarness, type SlackHarness } from './slack-harness.ts';

describe("Slack's signing test vector", () => {
  const vector = fixture('06_signing_test_vector.docs.json');
  const body = fixtureText('05_signing_test_vector.docs.body.txt');

  it('gives the documented signature with the test builder and with the guard', () => {
    const timestamp = vector.headers['x-slack-request-timestamp'];
    expect(sign(vector.signing_secret, timestamp, body)).toBe(vector.headers['x-slack-signature']);
    expect(slackSignature(vector.signing_secret, timestamp, body)).toBe(vector.headers['x-slack-signature']);
  });
});

describe('requests to /slack/events (docs/RELIABILITY.md test 13)', () => {
  let h: SlackHarness;
  let proposal: Proposal;
  /** A Details click: each dispatch opens one modal, so views.open counts listener invocations. */
  let detailsBody: string;

  beforeAll(async () => {
    h = await startSlackHarness();
    proposal = await h.file();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.slack.reset();
    detailsBody = interactionBody(
      blockActionPayload({
        actionId: ACTIONS.details,
        value: encodeTarget(proposal),
        userId: APPROVER,
        teamId: 'T111',
        appId: 'A111',
        channel: CHANNEL,
        responseUrl: h.slack.responseUrl('x'),
      }),
    );
  });

  const dispatched = async () => {
    await h.surface.idle();
    return h.slack.calls('views.open').length;
  };
  const now = () => Math.floor(Date.now() / 1000);

  it('dispatches a correctly signed request', async () => {
    expect((await sendSlack(h.url, { body: detailsBody, secret: SECRET })).status).toBe(200);
    expect(await dispatched()).toBe(1);
  });

  it('rejects the documented test vector: its signature is right but its timestamp is years old', async () => {
    const vector = fixture('06_signing_test_vector.docs.json');
    const response = await sendSlack(h.url, {
      body: fixtureText('05_signing_test_vector.docs.body.txt'),
      secret: vector.signing_secret,
      timestamp: Number(vector.headers['x-slack-request-timestamp']),
      signature: vector.headers['x-slack-signature'],
    });
    expect(response.status).toBe(401);
  });

  it.each([
    ['a forged signature', { signature: `v0=${'0'.repeat(64)}` }],
    ['a signature made with another secret', { secret: 'not-the-secret' }],
    ['a stale timestamp (301 s old)', { timestamp: now() - 301 }],
    ['a validly signed timestamp an hour in the future', { timestamp: now() + 3600 }],
    ['a v1= signature', { signature: `v1=${'a'.repeat(64)}` }],
    ['a body one byte longer than what was signed', { bodySuffix: 'x' }],
  ])('answers %s with 401 and changes nothing', async (_name, change: any) => {
    const before = await h.store.get(proposal.id);
    const body = detailsBody + (change.bodySuffix ?? '');
    const response = await sendSlack(h.url, {
      body,
      secret: change.secret ?? SECRET,
      ...(change.timestamp ? { timestamp: change.timestamp } : {}),
      ...(change.signature ? { signature: change.signature } : {}),
      ...(change.bodySuffix ? { signedBody: detailsBody } : {}),
    });
    expect(response.status).toBe(401);
    expect(await dispatched()).toBe(0);
    expect(await h.store.get(proposal.id)).toEqual(before);
  });

  it('accepts a timestamp within the clock-skew allowance (30 s ahead)', async () => {
    expect((await sendSlack(h.url, { body: detailsBody, secret: SECRET, timestamp: now() + 30 })).status).toBe(200);
    expect(await dispatched()).toBe(1);
  });

  it('processes one valid request sent twice only once', async () => {
    const timestamp = now();
    const first = await sendSlack(h.url, { body: detailsBody, secret: SECRET, timestamp });
    const replay = await sendSlack(h.url, { body: detailsBody, secret: SECRET, timestamp });
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(await dispatched()).toBe(1);
  });

  it.each([['ssl_check=1'], ['ssl_check=0']])('answers %s itself and never dispatches a payload riding along', async (check) => {
    const approve = interactionBody(
      blockActionPayload({
        actionId: ACTIONS.approve,
        value: encodeTarget(proposal),
        userId: APPROVER,
        teamId: 'T111',
        appId: 'A111',
        channel: CHANNEL,
        responseUrl: h.slack.responseUrl('x'),
      }),
    );
    const response = await sendSlack(h.url, { body: `${check}&${approve}`, secret: SECRET });
    expect(response.status).toBe(200);
    await h.surface.idle();
    expect(await h.store.get(proposal.id)).toMatchObject({ status: 'pending', version: proposal.version });
    expect(h.slack.calls()).toHaveLength(0);
  });

  it('answers the documented ssl_check with an empty 200', async () => {
    const response = await sendSlack(h.url, { body: fixtureText('71_ssl_check.form.txt'), secret: SECRET });
    expect(response).toMatchObject({ status: 200, text: '' });
  });

  it('refuses to start with an empty signing secret', () => {
    expect(() =>
      slackRequestGuard({
        signingSecret: '',
        state: createFileSlackState({ file: '/nonexistent/x.json' }),
        logger: pino({ level: 'silent' }),
      }),
    ).toThrow(/empty/);
    expect(() =>
      createSlackSurface({
        settings: { botToken: 'xoxb-1', signingSecret: '', approvers: [], executors: [], reminderHours: 48 },
        outboxDir: '/tmp/none',
        store: h.store,
        decisions: h.decisions,
        state: createFileSlackState({ file: '/nonexistent/x.json' }),
        logger: pino({ level: 'silent' }),
      }),
    ).toThrow(/SIGNING_SECRET/);
  });

  it('never dispatches a generated bad request and never answers 5xx (500 cases)', async () => {
    const statuses = new Map<number, number>();
    const badRequest = fc
      .record({
        timestampShift: fc.oneof(fc.constant(0), fc.integer({ min: -100_000, max: -301 }), fc.integer({ min: 61, max: 100_000 })),
        signature: fc.oneof(
          fc.constant<string | null>(null),
          fc.constant('missing'),
          fc.constant('duplicate'),
          fc.stringMatching(/^v[0-9]=[0-9a-f]{0,70}$/),
          fc.string({ maxLength: 80 }),
        ),
        bodyEdit: fc.oneof(fc.constant('none'), fc.constant('flip'), fc.constant('json'), fc.constant('truncate')),
        contentType: fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain'),
      })
      .filter((r) => r.timestampShift !== 0 || r.signature !== null || r.bodyEdit !== 'none');

    await fc.assert(
      fc.asyncProperty(badRequest, fc.nat({ max: 10_000 }), async (r, position) => {
        const timestamp = now() + r.timestampShift;
        let body = detailsBody;
        if (r.bodyEdit === 'flip') {
          const i = position % body.length;
          body = body.slice(0, i) + (body[i] === 'a' ? 'b' : 'a') + body.slice(i + 1);
        } else if (r.bodyEdit === 'json')
          body = JSON.stringify({ payload: decodeURIComponent(detailsBody.slice('payload='.length).replace(/\+/g, ' ')) });
        else if (r.bodyEdit === 'truncate') body = body.slice(0, position % body.length);
        const goodSignature = sign(SECRET, timestamp, detailsBody);
        const headers: Record<string, string> = { 'content-type': r.contentType, 'x-slack-request-timestamp': String(timestamp) };
        if (r.signature === null) headers['x-slack-signature'] = goodSignature;
        else if (r.signature === 'duplicate') headers['x-slack-signature'] = `${goodSignature}, ${goodSignature}`;
        else if (r.signature !== 'missing') headers['x-slack-signature'] = r.signature;
        const response = await fetch(h.url, { method: 'POST', headers, body });
        await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeLessThan(500);
        // A correctly signed, unmodified body with a good timestamp is the only thing that may pass.
        if (!(r.signature === null && r.bodyEdit === 'none' && r.timestampShift === 0)) expect(response.status).toBe(401);
      }),
      { numRuns: 500 },
    );
    expect(await dispatched()).toBe(0);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
  });
});
