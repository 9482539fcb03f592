/**
 * Time to the first sign of life (the assistant thread's status) and to the answer, for a question
 * asked in the assistant container, through the real stack: the Express app, our request guard, Bolt,
 * the Assistant listener, the answerer and its tools over an in-memory warehouse. Three answerers:
 * the offline one, and Claude through the loopback Anthropic fake (one tool call, then the answer)
 * answering at once and after 300 ms per request (closer to a real model). The baseline is a bare Bolt app whose
 * message listener posts a fixed reply to the same event, on the same machine, in the same run.
 *
 *   npx tsx bench/assistant-latency.ts
 *
 * Slack and Anthropic are the fakes from test/fakes; nothing leaves the machine. Prints figures; never
 * fails a build.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import pino from 'pino';
import { createHttpApp } from '../src/adapters/http/http-app.ts';
import { createClaudeAnswerer } from '../src/adapters/llm/anthropic/claude-answerer.ts';
import { createFileSlackState } from '../src/adapters/slack/state/file-slack-state.ts';
import { createSlackSurface } from '../src/adapters/slack/slack-surface.ts';
import { createEmbeddedStore } from '../src/adapters/store/embedded/embedded-store.ts';
import type { Answerer } from '../src/assistant/answer.ts';
import { createOfflineAnswerer } from '../src/assistant/offline-answerer.ts';
import { createAssistantBudget, createMemoryTokenCounter } from '../src/assistant/token-budget.ts';
import { createDecisions } from '../src/proposals/decisions.ts';
import { startFakeAnthropic } from '../test/fakes/anthropic/fake-anthropic-server.ts';
import { startFakeSlack, type FakeSlack } from '../test/fakes/slack/fake-slack-server.ts';
import { sendSlack } from '../test/fakes/slack/signed-request.ts';
import { sourcesOver } from '../test/assistant/assistant-fixtures.ts';

const SECRET = 'bench-signing-secret-0123456789';
const KEY = 'sk-ant-bench';
const QUESTIONS = 30;
const logger = pino({ level: 'silent' });

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function listen(app: { listen: (port: number, host: string, cb: () => void) => Server }): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

let serial = 0;
function threadMessage(text: string) {
  serial += 1;
  const thread = `1700001${String(serial).padStart(3, '0')}.000100`;
  return JSON.stringify({
    token: 'unused',
    team_id: 'T111',
    api_app_id: 'A111',
    type: 'event_callback',
    event_id: `EvBENCH${Date.now()}${serial}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T111', user_id: 'UBOT111', is_bot: true }],
    event: {
      type: 'message',
      user: 'UASKER1',
      text,
      ts: `${thread.slice(0, -3)}200`,
      thread_ts: thread,
      channel: 'D0BENCH',
      channel_type: 'im',
    },
  });
}

/** Sends one question; returns ms to the status call and to the answer's postMessage (from the send). */
async function ask(
  slack: FakeSlack,
  url: string,
  text: string,
  statusMethod: string | null,
): Promise<{ status: number | null; answer: number }> {
  const before = slack.calls().length;
  const started = Date.now();
  const sent = await sendSlack(url, { body: threadMessage(text), secret: SECRET, contentType: 'application/json' });
  if (sent.status !== 200) throw new Error(`status ${sent.status}`);
  await slack.waitFor(() => slack.calls('chat.postMessage').some((c) => slack.calls().indexOf(c) >= before), 10_000);
  const fresh = slack.calls().slice(before);
  const status = statusMethod ? fresh.find((c) => c.method === statusMethod) : undefined;
  const answer = fresh.find((c) => c.method === 'chat.postMessage')!;
  return { status: status ? status.at - started : null, answer: answer.at - started };
}

const slack = await startFakeSlack();
const anthropic = await startFakeAnthropic({ apiKey: KEY });
const dir = await mkdtemp(path.join(tmpdir(), 'bench-assistant-'));
const store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
const decisions = createDecisions({ store, logger, notifiers: [] });

let current: Answerer = createOfflineAnswerer(sourcesOver(store));
const surface = createSlackSurface({
  settings: {
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    approvers: ['UAPPROVER1'],
    executors: [],
    apiUrl: slack.apiUrl,
    reminderHours: 48,
  },
  outboxDir: path.join(dir, 'outbox'),
  store,
  decisions,
  state: createFileSlackState({ file: path.join(dir, 'slack-state.json') }),
  logger,
  postIntervalMs: 0,
  assistant: { allowed: 'everyone', answerer: () => ({ name: 'bench', answer: (q) => current.answer(q) }) },
});
await surface.start();
const ours = await listen(
  createHttpApp({
    store,
    decisions,
    apiTokens: ['bench-token-0123456789abcdef'],
    logger,
    runCycle: async () => Promise.reject(new Error('no cycles')),
    surfaces: [surface.handler!],
  }),
);

const bareReceiver = new ExpressReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
const bare = new App({
  receiver: bareReceiver,
  authorize: async () => ({ botToken: 'xoxb-bench' }),
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: slack.apiUrl },
});
bare.event('message', async ({ event, client }) => {
  const m = event as { channel: string; thread_ts?: string };
  await client.chat.postMessage({ channel: m.channel, thread_ts: m.thread_ts!, text: 'A fixed reply.' });
});
const baseline = await listen(bareReceiver.app);

const claude = (delayMs: number) => {
  anthropic.setResponder((request) =>
    request.body.messages.length === 1
      ? { delayMs, name: 'endpoint_latency', toolUse: { since: '2026-11-25', until: '2026-11-26' } }
      : { delayMs, text: 'POST /api/checkout was the slowest endpoint yesterday.' },
  );
  return createClaudeAnswerer({
    apiKey: KEY,
    baseURL: anthropic.baseURL,
    maxRetries: 0,
    sources: sourcesOver(store),
    budget: createAssistantBudget({ perUser: 0, perWorkspace: 0, counter: createMemoryTokenCounter() }),
    logger,
  });
};

const cases: { name: string; url: string; status: string | null; setup: () => void }[] = [
  { name: 'bare Bolt, fixed reply (baseline)', url: baseline.url, status: null, setup: () => undefined },
  {
    name: 'assistant, offline answerer',
    url: ours.url,
    status: 'assistant.threads.setStatus',
    setup: () => void (current = createOfflineAnswerer(sourcesOver(store))),
  },
  {
    name: 'assistant, Claude fake, instant',
    url: ours.url,
    status: 'assistant.threads.setStatus',
    setup: () => void (current = claude(0)),
  },
  {
    name: 'assistant, Claude fake, 300 ms/req',
    url: ours.url,
    status: 'assistant.threads.setStatus',
    setup: () => void (current = claude(300)),
  },
];

console.log(
  `Assistant latency: ${QUESTIONS} questions per case in the assistant container, ms from sending the event (fake Slack records ms)`,
);
for (const c of cases) {
  c.setup();
  const statusMs: number[] = [];
  const answerMs: number[] = [];
  for (let i = 0; i < QUESTIONS + 3; i += 1) {
    const r = await ask(slack, c.url, 'slowest endpoints yesterday', c.status);
    await surface.idle();
    if (i < 3) continue; // warm-up
    if (r.status !== null) statusMs.push(r.status);
    answerMs.push(r.answer);
  }
  statusMs.sort((a, b) => a - b);
  answerMs.sort((a, b) => a - b);
  const status = statusMs.length
    ? `status p50 ${String(quantile(statusMs, 0.5)).padStart(4)} p99 ${String(quantile(statusMs, 0.99)).padStart(4)}`
    : 'status    –        –';
  console.log(
    `${c.name.padEnd(36)} ${status}   answer p50 ${String(quantile(answerMs, 0.5)).padStart(4)} p99 ${String(quantile(answerMs, 0.99)).padStart(4)}`,
  );
}

await surface.stop();
for (const s of [ours.server, baseline.server]) {
  s.closeAllConnections();
  s.close();
}
await slack.close();
await anthropic.close();
await store.close();
await rm(dir, { recursive: true, force: true });
