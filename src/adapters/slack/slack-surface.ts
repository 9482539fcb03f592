import { App, ExpressReceiver, SocketModeReceiver } from '@slack/bolt';
import { WebClient, type RetryOptions } from '@slack/web-api';
import express from 'express';
import type { Config } from '../../config.ts';
import type { CycleRunner } from '../../cycle/run-cycle.ts';
import type { Logger } from '../../logging.ts';
import type { ProposalNotifier } from '../../ports/notifier.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { Decisions } from '../../proposals/decisions.ts';
import { createAppHome } from './app-home.ts';
import { boltLogger } from './bolt-logger.ts';
import { createChannelPacer } from './channel-pacer.ts';
import { createClickAuthorization } from './click-authorization.ts';
import { postDigest } from './digest.ts';
import type { ScheduleStatus } from './home-view.ts';
import { registerImproveCommand } from './improve-command.ts';
import { createOutboxSurface } from './outbox-surface.ts';
import { registerProposalActions } from './proposal-actions.ts';
import { createSlackNotifier } from './proposal-notifier.ts';
import { registerRejectSubmission } from './reject-submission.ts';
import { slackRequestGuard } from './request-guard.ts';
import { createIdentityResolver } from './slack-identity.ts';
import type { SlackStateStore } from './slack-state.ts';
import { createWebApiSink } from './web-api-sink.ts';

export type SlackSettings = NonNullable<Config['slack']>;

export interface SlackSurfaceDeps {
  /** config.slack: undefined → Slack is off and messages go to the outbox. */
  settings: SlackSettings | undefined;
  /** config.outboxDir. */
  outboxDir: string;
  store: ProposalStore;
  decisions: Decisions;
  /** For request handlers (dedupe, reading message refs): answers fast or fails, like the request store. */
  state: SlackStateStore;
  /**
   * For the notifier and the digest, which run from cycles and executions: waits out a short outage
   * so a posted message's ref is not lost (and the proposal posted twice). Default: `state`.
   */
  backgroundState?: SlackStateStore;
  logger: Logger;
  runCycle?: CycleRunner;
  scheduleStatus?: () => Promise<ScheduleStatus>;
  /** Seconds from a request's arrival to its ack, by kind (block_actions, slash_command, …). */
  observeAck?: (seconds: number, kind: string) => void;
  /** Outbox mode only (config.slack is absent then): SLACK_REMINDER_HOURS for the digest; default 48. */
  outboxReminderHours?: number;
  /** The app's id (A…); unset → learned from auth.test and bots.info. */
  appId?: string;
  /** Time between two posts in one channel; Slack allows about one per second. */
  postIntervalMs?: number;
  /** Web API retries (429 waits Retry-After, then retries); tests shorten it. */
  retryConfig?: RetryOptions;
  /** How long a user-group look-up may take before the click is denied. */
  lookupTimeoutMs?: number;
  groupCacheMs?: number;
  homeRefreshDelayMs?: number;
  commandName?: string;
}

export interface SlackSurface {
  /** For the start line: 'http (/slack/events, channel C123)', 'socket mode (…)', 'off (outbox at …)'. */
  mode: string;
  /** HTTP mode: mount with createHttpApp({ surfaces: [handler] }); serves POST /slack/events. */
  handler?: express.RequestHandler;
  /** Pass to createDecisions and the cycle: keeps Slack messages in step with the store. */
  notifier: ProposalNotifier;
  /** The daily digest (posted, or edited when today's already exists). */
  postDigest(now: Date): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when no Slack request is being handled (graceful stop; tests). */
  idle(): Promise<void>;
}

/** Default Web API retries: enough that a 429 (which waits Retry-After) or a blip never drops a message. */
const DEFAULT_RETRY: RetryOptions = { retries: 8, factor: 2, minTimeout: 500, maxTimeout: 30_000, randomize: true };

export function createSlackSurface(deps: SlackSurfaceDeps): SlackSurface {
  const settings = deps.settings;
  const logger = deps.logger.child({ component: 'slack' });
  if (!settings) return createOutboxSurface(deps);

  const retryConfig = deps.retryConfig ?? DEFAULT_RETRY;
  const apiOptions = { ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}), logger: boltLogger(logger) };
  const client = new WebClient(settings.botToken, { ...apiOptions, retryConfig, rejectRateLimitedCalls: false });
  const lookupClient = new WebClient(settings.botToken, {
    ...apiOptions,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: deps.lookupTimeoutMs ?? 2000,
  });
  const identity = createIdentityResolver(client, {
    ...(settings.teamId ? { teamId: settings.teamId } : {}),
    ...(deps.appId ? { appId: deps.appId } : {}),
  });
  const authorization = createClickAuthorization({
    approvers: settings.approvers,
    executors: settings.executors,
    identity,
    lookupClient,
    logger,
    ...(deps.groupCacheMs !== undefined ? { groupCacheMs: deps.groupCacheMs } : {}),
  });
  const sink = createWebApiSink(client, createChannelPacer({ intervalMs: deps.postIntervalMs ?? 1000 }));
  const home = createAppHome({
    store: deps.store,
    authorization,
    logger,
    ...(deps.scheduleStatus ? { scheduleStatus: deps.scheduleStatus } : {}),
    ...(deps.homeRefreshDelayMs !== undefined ? { refreshDelayMs: deps.homeRefreshDelayMs } : {}),
  });
  const notifier = createSlackNotifier({
    sink,
    state: deps.backgroundState ?? deps.state,
    logger,
    onRendered: () => home.changed(),
    hasAgent: () => deps.decisions.hasAgent(),
    ...(settings.channel ? { channel: settings.channel } : {}),
  });

  const socketMode = Boolean(settings.appToken);
  let handler: express.RequestHandler | undefined;
  let receiver: ExpressReceiver | SocketModeReceiver;
  if (socketMode) {
    receiver = new SocketModeReceiver({
      appToken: settings.appToken!,
      logger: boltLogger(logger),
      installerOptions: { clientOptions: apiOptions },
    });
  } else {
    if (!settings.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    const router = express.Router();
    router.post(
      '/slack/events',
      slackRequestGuard({
        signingSecret: settings.signingSecret,
        state: deps.state,
        logger,
        ...(deps.observeAck ? { observeAck: deps.observeAck } : {}),
      }),
    );
    // Bolt adds its own POST /slack/events to this router after the guard; `app` is a throwaway it insists on.
    receiver = new ExpressReceiver({
      signingSecret: settings.signingSecret,
      endpoints: '/slack/events',
      router,
      app: express(),
      logger: boltLogger(logger),
      processBeforeResponse: false,
    });
    handler = router;
  }

  const app = new App({
    receiver,
    // Never waits on Slack: acks must not depend on auth.test answering. Identity checks happen after the ack.
    authorize: async () => ({
      botToken: settings.botToken,
      botId: identity.peek()?.botId ?? '',
      botUserId: identity.peek()?.botUserId ?? '',
    }),
    clientOptions: { ...apiOptions, retryConfig, rejectRateLimitedCalls: false },
    logger: boltLogger(logger),
    ...(socketMode ? { socketMode: true } : {}),
  });

  const inflight = new Set<Promise<unknown>>();
  app.use(async ({ next }) => {
    const work = next();
    inflight.add(work);
    try {
      await work;
    } finally {
      inflight.delete(work);
    }
  });
  app.error(async (error) => logger.error({ err: error }, 'Slack listener failed'));

  const ctx = {
    store: deps.store,
    decisions: deps.decisions,
    authorization,
    state: deps.state,
    notifier,
    logger,
    publishHome: home.publish,
    ...(deps.runCycle ? { runCycle: deps.runCycle } : {}),
    ...(deps.scheduleStatus ? { scheduleStatus: deps.scheduleStatus } : {}),
  };
  registerProposalActions(app, ctx);
  registerRejectSubmission(app, ctx);
  registerImproveCommand(app, ctx, deps.commandName);
  home.register(app);

  const where = settings.channel ? `channel ${settings.channel}` : 'no SLACK_CHANNEL: subscriptions only';
  return {
    mode: socketMode ? `socket mode (${where})` : `http (/slack/events, ${where})`,
    ...(handler ? { handler } : {}),
    notifier,
    async postDigest(now) {
      if (!settings.channel) return void logger.info('no SLACK_CHANNEL: the digest is not posted');
      await postDigest(
        {
          store: deps.store,
          sink,
          state: deps.backgroundState ?? deps.state,
          channel: settings.channel,
          reminderHours: settings.reminderHours,
        },
        now,
      );
    },
    async start() {
      identity
        .resolve()
        .catch((error: unknown) =>
          logger.warn(
            { err: { message: (error as Error).message } },
            'could not learn the Slack identity yet; clicks are denied until it is known',
          ),
        );
      if (socketMode) await app.start();
    },
    async stop() {
      home.stop();
      if (socketMode) await app.stop();
      await Promise.allSettled([...inflight]);
    },
    async idle() {
      while (inflight.size) await Promise.allSettled([...inflight]);
      // Decisions tell the notifiers without waiting for them; a handled click is done when its message is.
      await deps.decisions.settled();
    },
  };
}
