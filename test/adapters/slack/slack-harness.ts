// `any` here is Slack's JSON (payloads, recorded calls, log lines) read in assertions; typing every shape would hide the wire format.
/**
 * The real stack for Slack tests: the fake Slack Web API, a proposal store (embedded, or Redis when
 * given), real Decisions with the Slack notifier wired in, the Slack surface mounted in the real
 * Express app (createHttpApp), listening on loopback. Requests are signed like Slack signs them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createHttpApp } from '../../../src/adapters/http/http-app.ts';
import { encodeTarget } from '../../../src/adapters/slack/views/action-ids.ts';
import { createFileSlackState } from '../../../src/adapters/slack/state/file-slack-state.ts';
import { createSlackSurface } from '../../../src/adapters/slack/slack-surface.ts';
import type { SlackSettings, SlackSurface, SlackSurfaceDeps } from '../../../src/adapters/slack/surface.ts';
import type { SlackStateStore } from '../../../src/adapters/slack/state/slack-state.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import type { Logger } from '../../../src/logging.ts';
import type { Executor } from '../../../src/ports/executor.ts';
import type { ProposalNotifier } from '../../../src/ports/notifier.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { createDecisions, type Decisions } from '../../../src/proposals/decisions.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack-server.ts';
import { commandBody, interactionBody, sendSlack } from '../../fakes/slack/signed-request.ts';
import { blockActionPayload, slashCommandFields, viewSubmissionPayload } from '../../fixtures/slack/payloads.ts';
import { makeDraft } from '../../helpers/drafts.ts';

export const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const CHANNEL = 'C0PROPOSALS';
export const APPROVER = 'UAPPROVER1';
export const OTHER_APPROVER = 'UAPPROVER2';
export const STRANGER = 'USTRANGER1';

export interface HarnessOptions {
  settings?: Partial<SlackSettings>;
  store?: ProposalStore;
  state?: SlackStateStore;
  surface?: Partial<SlackSurfaceDeps>;
  /** An executor for Execute and Roll back (the walking executor in most tests); none by default. */
  executor?: (store: ProposalStore) => Executor;
}

export interface SlackHarness {
  slack: FakeSlack;
  surface: SlackSurface;
  store: ProposalStore;
  decisions: Decisions;
  url: string;
  logLines: Record<string, any>[];
  /** What the surface reported through observeAck (seconds, kind). */
  acks: { seconds: number; kind: string }[];
  /** Files a proposal and posts it (as a cycle would), returning it with its Slack message posted. */
  file(overrides?: Parameters<typeof makeDraft>[0]): Promise<Proposal>;
  click(
    actionId: string,
    proposal: Pick<Proposal, 'id' | 'version'>,
    userId: string,
    extra?: Partial<Parameters<typeof blockActionPayload>[0]>,
  ): Promise<{ status: number; ms: number; payload: any }>;
  sendPayload(payload: unknown, headers?: Record<string, string>): Promise<{ status: number; ms: number }>;
  command(text: string, userId: string, channel?: string): Promise<{ status: number; ms: number }>;
  submitReject(
    proposal: Pick<Proposal, 'id' | 'version'>,
    userId: string,
    reason: string,
    viewId?: string,
  ): Promise<{ status: number; text: string }>;
  /** Submits a reason modal (reject, roll back) by its callback id. */
  submitReason(
    callbackId: string,
    proposal: Pick<Proposal, 'id' | 'version'>,
    userId: string,
    reason: string,
    viewId?: string,
  ): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startSlackHarness(options: HarnessOptions = {}): Promise<SlackHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'slack-surface-'));
  const slack = await startFakeSlack({ usergroups: { SAPPROVERS: [OTHER_APPROVER] } });
  const logLines: Record<string, any>[] = [];
  const acks: { seconds: number; kind: string }[] = [];
  const logger: Logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
        done();
      },
    }),
  );
  const store = options.store ?? createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
  const state = options.state ?? createFileSlackState({ file: path.join(dir, 'slack-state.json') });
  const notifiers: ProposalNotifier[] = [];
  const decisions = createDecisions({ store, logger, notifiers, ...(options.executor ? { executor: options.executor(store) } : {}) });
  const settings: SlackSettings = {
    botToken: 'xoxb-test-token',
    signingSecret: SECRET,
    channel: CHANNEL,
    approvers: [APPROVER, 'SAPPROVERS'],
    executors: [APPROVER],
    apiUrl: slack.apiUrl,
    reminderHours: 48,
    ...options.settings,
  };
  const surface = createSlackSurface({
    settings,
    outboxDir: path.join(dir, 'outbox'),
    store,
    decisions,
    state,
    logger,
    postIntervalMs: 0,
    retryConfig: { retries: 3, factor: 1, minTimeout: 20, maxTimeout: 50 },
    lookupTimeoutMs: 300,
    homeRefreshDelayMs: 50,
    observeAck: (seconds, kind) => acks.push({ seconds, kind }),
    ...options.surface,
  });
  notifiers.push(surface.notifier);
  await surface.start();
  const app = createHttpApp({
    store,
    decisions,
    apiTokens: ['api-token-for-tests-0123456789'],
    logger,
    runCycle: async () => {
      throw new Error('no cycles in this harness');
    },
    surfaces: surface.handler ? [surface.handler] : [],
    ...(options.surface?.runCycle ? { runCycle: options.surface.runCycle } : {}),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const identity = slack.identity;

  const sendPayload = async (payload: unknown, headers: Record<string, string> = {}) => {
    const { status, ms } = await sendSlack(url, { body: interactionBody(payload), secret: SECRET, headers });
    return { status, ms };
  };

  async function submitReason(
    callbackId: string,
    proposal: Pick<Proposal, 'id' | 'version'>,
    userId: string,
    reason: string,
    viewId?: string,
  ): Promise<{ status: number; text: string }> {
    const payload = viewSubmissionPayload({
      callbackId,
      privateMetadata: JSON.stringify({ id: proposal.id, version: proposal.version, channel: CHANNEL }),
      userId,
      teamId: identity.teamId,
      appId: identity.appId,
      values: { reason: { 'reason.input': { type: 'plain_text_input', value: reason } } },
      ...(viewId ? { viewId } : {}),
    });
    const { status, text } = await sendSlack(url, { body: interactionBody(payload), secret: SECRET });
    return { status, text };
  }

  return {
    slack,
    surface,
    store,
    decisions,
    url,
    logLines,
    acks,
    async file(overrides = {}) {
      const proposal = await store.create(makeDraft(overrides), { actor: 'system' });
      await surface.notifier.proposalChanged(proposal, { action: 'created', actor: 'system' });
      return proposal;
    },
    async click(actionId, proposal, userId, extra = {}) {
      const payload = blockActionPayload({
        actionId,
        value: encodeTarget(proposal),
        userId,
        teamId: identity.teamId,
        appId: identity.appId,
        channel: CHANNEL,
        responseUrl: slack.responseUrl(`click-${userId}`),
        ...extra,
      });
      return { ...(await sendPayload(payload)), payload };
    },
    sendPayload,
    async command(text, userId, channel = CHANNEL) {
      const fields = slashCommandFields({
        text,
        userId,
        teamId: identity.teamId,
        appId: identity.appId,
        channel,
        responseUrl: slack.responseUrl(`command-${userId}`),
      });
      const { status, ms } = await sendSlack(url, { body: commandBody(fields), secret: SECRET });
      return { status, ms };
    },
    submitReject(proposal, userId, reason, viewId) {
      return submitReason('proposal.reject.modal', proposal, userId, reason, viewId);
    },
    submitReason,
    async close() {
      await surface.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await slack.close();
      if (!options.store) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
