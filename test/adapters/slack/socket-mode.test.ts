import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileSlackState } from '../../../src/adapters/slack/state/file-slack-state.ts';
import { createSlackSurface } from '../../../src/adapters/slack/slack-surface.ts';
import type { SlackSurface } from '../../../src/adapters/slack/surface.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { createDecisions } from '../../../src/proposals/decisions.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack-server.ts';
import { startFakeSocketServer, type FakeSocketServer } from '../../fakes/slack/fake-socket-server.ts';
import { fixture } from '../../fixtures/slack/payloads.ts';

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  let dir: string;
  let slack: FakeSlack;
  let socket: FakeSocketServer;
  let store: ProposalStore;
  let surface: SlackSurface;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slack-socket-'));
    slack = await startFakeSlack();
    socket = await startFakeSocketServer();
    slack.setSocketUrl(socket.url);
    store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
    const logger = pino({ level: 'silent' });
    surface = createSlackSurface({
      settings: {
        botToken: 'xoxb-test',
        appToken: 'xapp-test',
        channel: 'C1',
        approvers: ['U1'],
        executors: ['U1'],
        apiUrl: slack.apiUrl,
        reminderHours: 48,
      },
      outboxDir: path.join(dir, 'outbox'),
      store,
      decisions: createDecisions({ store, logger }),
      state: createFileSlackState({ file: path.join(dir, 'slack.json') }),
      logger,
      retryConfig: { retries: 0 },
    });
  });
  afterAll(async () => {
    await surface.stop().catch(() => undefined);
    await socket.close();
    await slack.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is selected instead of HTTP, connects with the app token, and acks a slash command envelope', async () => {
    expect(surface.mode).toMatch(/^socket mode/);
    expect(surface.handler).toBeUndefined();
    await surface.start();
    expect(slack.calls('apps.connections.open')[0]?.token).toBe('xapp-test');
    await socket.waitFor(() => socket.connected());

    const envelope = structuredClone(fixture('09_slash_command.docs.socket_mode_envelope.json'));
    envelope.payload = {
      ...envelope.payload,
      team_id: 'T111',
      api_app_id: 'A111',
      command: '/improve',
      text: 'help',
      response_url: slack.responseUrl('socket'),
    };
    socket.send(envelope);
    await socket.waitFor(() => socket.received.some((m) => m.envelope_id === envelope.envelope_id));
    await slack.waitFor(() => slack.responses().length > 0);
    expect(JSON.stringify(slack.responses()[0]?.body.blocks)).toContain('/improve analyze');
  });
});
