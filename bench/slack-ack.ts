/**
 * Ack latency of a signed `block_actions` request (an Approve click) through the real stack: the
 * Express app, our signature / skew / replay guard, Bolt, with the Redis store and Slack state behind
 * it, under 50 concurrent clicks on one proposal (one approves, 49 conflict). The baseline is a bare
 * Bolt app that only acks, on the same machine, in the same run, with the same client.
 *
 *   npx tsx bench/slack-ack.ts        (REDIS_URL to point elsewhere)
 *
 * The Slack Web API is the loopback fake from test/fakes. Keys live under a random prefix, deleted at
 * the end. Prints figures; never fails a build.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import express from 'express';
import pino from 'pino';
import { createHttpApp } from '../src/adapters/http/http-app.ts';
import { encodeTarget } from '../src/adapters/slack/views/action-ids.ts';
import { createRedisSlackState } from '../src/adapters/slack/state/redis-slack-state.ts';
import { createSlackSurface } from '../src/adapters/slack/slack-surface.ts';
import { createFailFastRedis, whenReady } from '../src/adapters/store/redis/client.ts';
import { createRedisStore } from '../src/adapters/store/redis/redis-store.ts';
import type { ProposalNotifier } from '../src/ports/notifier.ts';
import { createDecisions } from '../src/proposals/decisions.ts';
import { startFakeSlack } from '../test/fakes/slack/fake-slack-server.ts';
import { interactionBody, sendSlack } from '../test/fakes/slack/signed-request.ts';
import { blockActionPayload } from '../test/fixtures/slack/payloads.ts';
import { makeDraft } from '../test/helpers/drafts.ts';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `bench:slack:${randomBytes(6).toString('hex')}:`;
const SECRET = 'bench-signing-secret-0123456789';
const CONCURRENCY = 50;
const ROUNDS = 20;
const APPROVER = 'UAPPROVER1';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function listen(app: express.Express | ExpressReceiver['app']): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

const logger = pino({ level: 'silent' });
const slack = await startFakeSlack();
const redis = createFailFastRedis(url, { requestTimeoutMs: 2000 });
await whenReady(redis, 5000);
const dir = await mkdtemp(path.join(tmpdir(), 'bench-slack-'));
const store = createRedisStore({ redis, keyPrefix, ownsConnection: false });
const notifiers: ProposalNotifier[] = [];
const decisions = createDecisions({ store, logger, notifiers });
const surface = createSlackSurface({
  settings: {
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    channel: 'C1',
    approvers: [APPROVER],
    executors: [APPROVER],
    apiUrl: slack.apiUrl,
    reminderHours: 48,
  },
  outboxDir: path.join(dir, 'outbox'),
  store,
  decisions,
  state: createRedisSlackState({ redis, keyPrefix }),
  logger,
  postIntervalMs: 0,
});
notifiers.push(surface.notifier);
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

// The baseline: Bolt's own ExpressReceiver and a listener that only acks.
const bareReceiver = new ExpressReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
const bare = new App({
  receiver: bareReceiver,
  authorize: async () => ({ botToken: 'xoxb-bench' }),
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: slack.apiUrl },
});
bare.action(/.*/, async ({ ack }) => ack());
const baseline = await listen(bareReceiver.app);

async function round(target: string, value: string): Promise<number[]> {
  return Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const payload = blockActionPayload({
        actionId: 'proposal.approve',
        value,
        userId: APPROVER,
        teamId: 'T111',
        appId: 'A111',
        channel: 'C1',
        responseUrl: slack.responseUrl('bench'),
      });
      const { status, ms } = await sendSlack(target, { body: interactionBody(payload), secret: SECRET });
      if (status !== 200) throw new Error(`status ${status}`);
      return ms;
    }),
  );
}

const oursMs: number[] = [];
const bareMs: number[] = [];
for (let i = 0; i < ROUNDS + 2; i += 1) {
  const proposal = await store.create(makeDraft(), { actor: 'bench' });
  const value = encodeTarget(proposal);
  // Alternate which goes first so neither always runs on a warmer machine; the first two rounds warm up.
  let oursRound: number[];
  let bareRound: number[];
  if (i % 2) {
    bareRound = await round(baseline.url, value);
    oursRound = await round(ours.url, value);
  } else {
    oursRound = await round(ours.url, value);
    bareRound = await round(baseline.url, value);
  }
  await surface.idle();
  if (i >= 2) {
    oursMs.push(...oursRound);
    bareMs.push(...bareRound);
  }
}

oursMs.sort((x, y) => x - y);
bareMs.sort((x, y) => x - y);
const row = (name: string, list: number[]) =>
  `${name.padEnd(34)} p50 ${quantile(list, 0.5).toFixed(2).padStart(7)} ms   p99 ${quantile(list, 0.99).toFixed(2).padStart(7)} ms   max ${list.at(-1)!.toFixed(2).padStart(7)} ms`;
console.log(
  `Ack latency, ${ROUNDS} rounds x ${CONCURRENCY} concurrent signed block_actions (Approve), Redis at ${url.replace(/\/\/.*@/, '//***@')}`,
);
console.log(row('improvement-loop (guard+Bolt+Redis)', oursMs));
console.log(row('bare Bolt app that only acks', bareMs));
console.log(
  `ratio ours/bare: p50 ${(quantile(oursMs, 0.5) / quantile(bareMs, 0.5)).toFixed(2)}x, p99 ${(quantile(oursMs, 0.99) / quantile(bareMs, 0.99)).toFixed(2)}x`,
);
console.log(
  `approvals applied: ${(await store.counters())['decided:approved'] ?? 0} of ${ROUNDS + 2} proposals; Slack calls: ${slack.calls('chat.postEphemeral').length} ephemerals`,
);

await surface.stop();
ours.server.closeAllConnections();
baseline.server.closeAllConnections();
ours.server.close();
baseline.server.close();
await slack.close();
// Clean up every key under the prefix (SCAN, never KEYS).
let cursor = '0';
do {
  const [next, found] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
  cursor = next;
  if (found.length) await redis.unlink(...found);
} while (cursor !== '0');
redis.disconnect();
await rm(dir, { recursive: true, force: true });
