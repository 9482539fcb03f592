import { App, ExpressReceiver, SocketModeReceiver } from '@slack/bolt';
import { WebClient, type RetryOptions } from '@slack/web-api';
import express from 'express';
import { createAppHome } from './listeners/app-home.ts';
import { boltLogger } from './bolt-logger.ts';
import { createChannelPacer } from './delivery/channel-pacer.ts';
import { createClickAuthorization } from './security/click-authorization.ts';
import { postDigest } from './delivery/digest.ts';
import { registerAssistant } from './listeners/assistant.ts';
import { registerImproveCommand } from './listeners/improve-command.ts';
import { createOutboxSurface } from './outbox-surface.ts';
import { registerProposalActions } from './listeners/proposal-actions.ts';
import { createSlackNotifier } from './delivery/proposal-notifier.ts';
import { registerRejectSubmission } from './listeners/reject-submission.ts';
import { registerRollbackSubmission } from './listeners/rollback-submission.ts';
import { slackRequestGuard } from './security/request-guard.ts';
import { createIdentityResolver } from './security/slack-identity.ts';
import type { SlackSurface, SlackSurfaceDeps } from './surface.ts';
import { createWebApiSink } from './delivery/web-api-sink.ts';

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
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
    ...(deps.chartImageUrl ? { chartImageUrl: deps.chartImageUrl } : {}),
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
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
    ...(deps.runCycle ? { runCycle: deps.runCycle } : {}),
    ...(deps.revisions ? { revisions: deps.revisions } : {}),
    ...(deps.scheduleStatus ? { scheduleStatus: deps.scheduleStatus } : {}),
  };
  registerProposalActions(app, ctx);
  registerRejectSubmission(app, ctx);
  registerRollbackSubmission(app, ctx);
  registerImproveCommand(app, ctx, deps.commandName);
  home.register(app);
  if (deps.assistant) {
    const { allowed } = deps.assistant;
    // The click authorization's checks (team, app, bot, user groups with their cache), with the askers as its list.
    const askers = createClickAuthorization({
      approvers: allowed === 'everyone' ? [] : allowed,
      executors: [],
      identity,
      lookupClient,
      logger,
    });
    const slackLink = async (proposalId: string) => {
      const [ref] = await deps.state.messageRefs(proposalId);
      if (!ref) return undefined;
      return (await client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts })).permalink;
    };
    registerAssistant(app, {
      answerer: deps.assistant.answerer(slackLink),
      store: deps.store,
      hasAgent: () => deps.decisions.hasAgent(),
      logger,
      state: deps.state,
      botUserId: () => identity.peek()?.botUserId,
      mayAsk: (actor) => askers.authorize(actor, allowed === 'everyone' ? 'view' : 'approve', { what: 'assistant question' }),
      ...(deps.assistant.onAnswer ? { onAnswer: deps.assistant.onAnswer } : {}),
    });
  }

  // Permalinks never change, so each is asked once; the map is bounded like the notifier's.
  const permalinks = new Map<string, string>();
  async function permalink(proposalId: string): Promise<string | null> {
    const refs = await deps.state.messageRefs(proposalId);
    const ref = refs.find((r) => r.channel === settings!.channel) ?? refs[0];
    if (!ref) return null;
    const key = `${ref.channel}/${ref.ts}`;
    const known = permalinks.get(key);
    if (known) return known;
    // The look-up client: no retries and a short timeout, since a page waits for this answer.
    const answer = await lookupClient.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts });
    if (!answer.permalink) return null;
    if (permalinks.size >= 5000) permalinks.delete(permalinks.keys().next().value as string);
    permalinks.set(key, answer.permalink);
    return answer.permalink;
  }

  const where = settings.channel ? `channel ${settings.channel}` : 'no SLACK_CHANNEL: subscriptions only';
  return {
    mode: socketMode ? `socket mode (${where})` : `http (/slack/events, ${where})`,
    ...(handler ? { handler } : {}),
    notifier,
    permalink,
    async postDigest(now) {
      if (!settings.channel) return void logger.info('no SLACK_CHANNEL: the digest is not posted');
      await postDigest(
        {
          store: deps.store,
          sink,
          state: deps.backgroundState ?? deps.state,
          channel: settings.channel,
          reminderHours: settings.reminderHours,
          ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
          ...(deps.ranking ? { ranking: deps.ranking } : {}),
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
