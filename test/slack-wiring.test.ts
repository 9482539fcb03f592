/**
 * The composed service with Slack on (HTTP mode) against the fake Slack Web API: the real config,
 * the real server start, a real cycle over the bundled sample, signed requests to /slack/events.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logging.ts';
import { startServer, type RunningServer } from '../src/main.ts';
import { startFakeSlack, type FakeSlack } from './fakes/slack/fake-slack-server.ts';
import { commandBody, sendSlack } from './fakes/slack/signed-request.ts';
import { slashCommandFields } from './fixtures/slack/payloads.ts';

const SECRET = 'wiring-signing-secret';
const TOKEN = 'wiring-api-token';

describe('the service with Slack on', () => {
  let slack: FakeSlack;
  let server: RunningServer;
  let dir: string;
  const printed: string[] = [];
  beforeAll(async () => {
    slack = await startFakeSlack();
    dir = await mkdtemp(path.join(tmpdir(), 'il-slack-wiring-'));
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dir,
      API_TOKENS: TOKEN,
      SAMPLE_METRIC_ROWS: '20000',
      SAMPLE_INTERACTIONS: '3000',
      SLACK_BOT_TOKEN: 'xoxb-wiring',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL: 'CPROPOSALS',
      SLACK_APPROVERS: 'UAPPROVER',
      SLACK_APP_ID: slack.identity.appId,
      SLACK_TEAM_ID: slack.identity.teamId,
    });
    server = await startServer(config, silentLogger(), (line) => printed.push(line));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await slack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const api = (method: string, route: string, body?: unknown) =>
    fetch(`${server.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('says on its start line that Slack runs over HTTP', () => {
    expect(printed.find((l) => l.startsWith('slack'))).toMatch(/^slack\s+http \(\/slack\/events/);
    expect(printed.find((l) => l.startsWith('assistant'))).toBe(
      'assistant  offline question shapes (no ANTHROPIC_API_KEY); everyone may ask',
    );
  });

  it('posts each proposal a cycle files to the channel, and re-renders it in place when someone approves it over the API', async () => {
    // The bundled sample ends on 2026-01-31.
    const cycle = await api('POST', '/api/improvements/analyze', { type: 'full', asOf: '2026-01-31T00:00:00Z' });
    expect(cycle.status).toBe(200);
    const report = await cycle.json();
    expect(report.created.length).toBeGreaterThan(0);
    await slack.waitFor(() => slack.calls('chat.postMessage').length >= report.created.length, 30_000);
    const posted = slack.calls('chat.postMessage');
    expect(posted.every((c) => c.body.channel === 'CPROPOSALS' && typeof c.body.text === 'string' && c.body.text.length > 0)).toBe(true);

    const id = report.created[0].id as string;
    const approved = await api('POST', `/api/improvements/proposals/${id}/approve`, {});
    expect(approved.status).toBe(200);
    await slack.waitFor(() => slack.calls('chat.update').length >= 1, 10_000);
    const update = slack.calls('chat.update').at(-1)!;
    expect(JSON.stringify(update.body)).toContain(id);
    expect(JSON.stringify(update.body)).toMatch(/[Aa]pproved/);
    // No new message for a decision: the proposal's own message changed.
    expect(slack.calls('chat.postMessage')).toHaveLength(posted.length);
  }, 90_000);

  it('answers a signed /improve help on the same port, and refuses a forged one', async () => {
    const fields = slashCommandFields({
      text: 'help',
      userId: 'UAPPROVER',
      teamId: slack.identity.teamId,
      appId: slack.identity.appId,
      channel: 'CPROPOSALS',
      responseUrl: slack.responseUrl('help'),
    });
    const body = commandBody(fields);
    const ok = await sendSlack(`${server.url}/slack/events`, { body, secret: SECRET });
    expect(ok.status).toBe(200);
    const forged = await sendSlack(`${server.url}/slack/events`, { body, secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
  });

  it('keeps the dashboard and the API beside Slack on one port', async () => {
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    expect((await api('GET', '/api/improvements/metrics')).status).toBe(200);
    expect(await readdir(dir)).not.toContain('outbox');
  });

  it('answers a mention of the app from the warehouse without a model, through the same guarded route', async () => {
    slack.reset();
    const event = {
      token: 'unused',
      team_id: slack.identity.teamId,
      api_app_id: slack.identity.appId,
      type: 'event_callback',
      event_id: 'EvWIRING0001',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_mention',
        user: 'UASKER',
        text: `<@${slack.identity.botUserId}> slowest endpoints 2026-01-01 to 2026-01-31`,
        ts: '1769000000.000100',
        channel: 'CPROPOSALS',
      },
    };
    const sent = await sendSlack(`${server.url}/slack/events`, {
      body: JSON.stringify(event),
      secret: SECRET,
      contentType: 'application/json',
    });
    expect(sent.status).toBe(200);
    await slack.waitFor(() => slack.calls('chat.update').length >= 1, 30_000);
    const answer = JSON.stringify(slack.calls('chat.update').at(-1)!.body.blocks);
    expect(answer).toContain('performance.api_metrics');
    expect(answer).toContain('2026-01-01 00:00 – 2026-01-31 00:00 UTC');
    expect(answer).toMatch(/slowest p95 \d+ ms/);
    expect(answer).toContain('Answered without a language model');
  }, 60_000);
});
