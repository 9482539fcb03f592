import { Assistant, type App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Question } from '../../../assistant/answer.ts';
import type { ClickActor, Verdict } from '../security/click-authorization.ts';
import type { SlackStateStore } from '../state/slack-state.ts';
import { answerInThread, type AssistantDeps, type AssistantSurfaceKind } from './assistant-reply.ts';

export interface AssistantListenerDeps extends AssistantDeps {
  /** ASSISTANT_ALLOWED: same team and app, not a bot, and listed (or everyone). */
  mayAsk(actor: ClickActor): Promise<Verdict>;
  state: Pick<SlackStateStore, 'proposalAt'>;
  /** The bot's own user id (to drop its mention from the question and ignore its own messages). */
  botUserId(): string | undefined;
}

export const SUGGESTED_PROMPTS = [
  { title: 'Slowest endpoints', message: 'Which endpoints were slowest yesterday, and did they get slower?' },
  { title: 'New errors', message: 'Which errors started in the last 3 days, and which commits are suspected?' },
  { title: 'Feature requests', message: 'What do enterprise customers ask for most this month?' },
  { title: 'Pending proposals', message: 'Which proposals are pending, and what would each change?' },
];

/** Earlier messages of an assistant thread given to the model with a new question. */
const HISTORY_MESSAGES = 6;
const LOOKING = ':hourglass_flowing_sand: Looking at the telemetry and the proposals…';
const NOT_ALLOWED = 'You are not among the people who may ask this assistant (ASSISTANT_ALLOWED). The `/improve` commands still work.';

/** Event fields we read; Bolt's union of message subtypes is wider than what reaches these listeners. */
interface MessageLike {
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
  subtype?: string;
  bot_id?: string;
}

/**
 * Where people ask: the assistant container (Bolt's Assistant: thread started with suggested
 * prompts, a status at once, a title, the answer), a mention of the app, a DM, and a reply in a
 * proposal message's thread (the question is then about that proposal). Every request has passed the
 * request guard (signature, replay, retry) before it gets here; each asker is checked with `mayAsk`.
 */
export function registerAssistant(app: App, deps: AssistantListenerDeps): void {
  const { logger } = deps;

  async function allowed(
    client: WebClient,
    actor: ClickActor,
    target: { channel: string; threadTs: string; placeholderTs?: string },
  ): Promise<boolean> {
    const verdict = await deps.mayAsk(actor);
    if (verdict.allowed) return true;
    logger.warn({ audit: 'assistant_denied', user: actor.userId, reason: verdict.reason }, 'assistant question refused');
    const text =
      verdict.reason === 'not_listed' || verdict.reason === 'nobody_configured'
        ? NOT_ALLOWED
        : `Your question was not answered (${verdict.reason.replace(/_/g, ' ')}).`;
    if (target.placeholderTs) await client.chat.update({ channel: target.channel, ts: target.placeholderTs, text });
    else await client.chat.postMessage({ channel: target.channel, thread_ts: target.threadTs, text });
    return false;
  }

  /** Ours, or (before auth.test has answered) the one the event says it was delivered to. */
  const botOf = (body: unknown) => deps.botUserId() ?? (body as { authorizations?: { user_id?: string }[] }).authorizations?.[0]?.user_id;
  const clean = (text: string | undefined, body: unknown) => {
    const bot = botOf(body);
    return (text ?? '').replace(bot && /^[UW][A-Z0-9]+$/.test(bot) ? new RegExp(`<@${bot}>`, 'g') : /$^/, ' ').trim();
  };
  const ignorable = (m: MessageLike, body: unknown) => Boolean(m.subtype || m.bot_id || !m.user || m.user === botOf(body));

  /** Mentions, DMs and proposal threads: a placeholder at once (the status), then the answer in its place. */
  async function answerWithPlaceholder(
    client: WebClient,
    actor: ClickActor,
    question: Question,
    channel: string,
    threadTs: string,
    surface: AssistantSurfaceKind,
  ) {
    const placeholder = await client.chat.postMessage({ channel, thread_ts: threadTs, text: LOOKING });
    const target = { channel, threadTs, ...(placeholder.ts ? { placeholderTs: placeholder.ts } : {}) };
    if (!(await allowed(client, actor, target))) return;
    await answerInThread(client, deps, question, target, surface);
  }

  async function proposalOfThread(channel: string, threadTs: string | undefined): Promise<string | undefined> {
    if (!threadTs) return undefined;
    return (await deps.state.proposalAt({ channel, ts: threadTs }).catch(() => null)) ?? undefined;
  }

  /**
   * Earlier turns of this assistant thread (the asker's own DM with the app), for follow-ups such as
   * "and the day before?". Only that thread is read; a failed read answers without it.
   */
  async function threadHistory(client: WebClient, m: MessageLike, bot: string | undefined): Promise<NonNullable<Question['history']>> {
    try {
      const replies = await client.conversations.replies({ channel: m.channel, ts: m.thread_ts!, limit: HISTORY_MESSAGES + 2 });
      return (replies.messages ?? [])
        .filter((r) => r.ts !== m.ts && typeof r.text === 'string' && r.text.trim() && r.text !== LOOKING)
        .slice(-HISTORY_MESSAGES)
        .map((r) => ({ role: r.bot_id || r.user === bot ? ('assistant' as const) : ('user' as const), text: r.text! }));
    } catch (error) {
      logger.info({ err: error }, 'could not read the assistant thread; answering without its history');
      return [];
    }
  }

  app.assistant(
    new Assistant({
      // Bolt's default store reads the thread with conversations.replies for context we do not use.
      threadContextStore: { get: async () => ({}), save: async () => undefined },
      threadStarted: async ({ event, client, setSuggestedPrompts }) => {
        const { channel_id: channel, thread_ts: threadTs } = event.assistant_thread;
        await client.chat.postMessage({
          channel,
          thread_ts: threadTs,
          text: 'Hi! Ask me about latency, errors, what customers ask for, or a proposal. I read the telemetry and the proposals; I never change anything.',
        });
        await setSuggestedPrompts({ title: 'Try one of these', prompts: SUGGESTED_PROMPTS });
      },
      threadContextChanged: async () => undefined,
      userMessage: async ({ message, body, client, setStatus, setTitle }) => {
        const m = message as unknown as MessageLike;
        if (ignorable(m, body) || !m.thread_ts) return;
        // Within Slack's 3 s: the status shows before anything slow happens.
        await setStatus('is reading the telemetry…');
        const actor = {
          userId: m.user!,
          teamId: (body as { team_id?: string }).team_id,
          appId: (body as { api_app_id?: string }).api_app_id,
        };
        const target = { channel: m.channel, threadTs: m.thread_ts };
        const text = clean(m.text, body);
        await setTitle(text.slice(0, 60) || 'Question');
        if (!(await allowed(client, actor as ClickActor, target))) return;
        const history = await threadHistory(client, m, botOf(body));
        await answerInThread(client, deps, { text, userId: m.user!, teamId: actor.teamId ?? '', history }, target, 'assistant');
      },
    }),
  );

  app.event('app_mention', async ({ event, body, client }) => {
    const m = event as unknown as MessageLike;
    if (!m.user || m.bot_id || m.user === botOf(body)) return;
    const proposalId = await proposalOfThread(m.channel, m.thread_ts);
    const actor = { userId: m.user!, teamId: body.team_id, appId: body.api_app_id };
    const question = { text: clean(m.text, body), userId: m.user!, teamId: body.team_id, ...(proposalId ? { proposalId } : {}) };
    await answerWithPlaceholder(client, actor, question, m.channel, m.thread_ts ?? m.ts, proposalId ? 'proposal_thread' : 'mention');
  });

  app.event('message', async ({ event, body, client }) => {
    const m = event as unknown as MessageLike;
    if (ignorable(m, body)) return;
    const bot = botOf(body);
    const actor = { userId: m.user!, teamId: body.team_id, appId: body.api_app_id };
    if (m.channel_type === 'im') {
      // Threaded DMs belong to the assistant container (Bolt's Assistant takes them before this listener).
      if (m.thread_ts) return;
      await answerWithPlaceholder(
        client,
        actor,
        { text: clean(m.text, body), userId: m.user!, teamId: body.team_id },
        m.channel,
        m.ts,
        'dm',
      );
      return;
    }
    // A channel message: only a question ("?") replying in a proposal's thread, so people talking in the thread
    // are not answered at every line; one that mentions the app is app_mention's.
    if (!m.thread_ts || m.thread_ts === m.ts || !m.text?.includes('?') || (bot && m.text.includes(`<@${bot}>`))) return;
    const proposalId = await proposalOfThread(m.channel, m.thread_ts);
    if (!proposalId) return;
    const question = { text: clean(m.text, body), userId: m.user!, teamId: body.team_id, proposalId };
    await answerWithPlaceholder(client, actor, question, m.channel, m.thread_ts, 'proposal_thread');
  });
}
