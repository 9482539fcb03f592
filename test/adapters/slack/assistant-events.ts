// Events as Slack sends them (Events API envelope, JSON body); `any` is Slack's JSON in assertions.
import { sendSlack } from '../../fakes/slack/signed-request.ts';
import { SECRET, type SlackHarness } from './slack-harness.ts';

let serial = 0;

export function eventEnvelope(h: SlackHarness, event: Record<string, unknown>) {
  serial += 1;
  return {
    token: 'verification-token-unused',
    team_id: h.slack.identity.teamId,
    api_app_id: h.slack.identity.appId,
    event: { event_ts: `${1_700_000_500 + serial}.000100`, ...event },
    type: 'event_callback',
    event_id: `Ev${Date.now()}${serial}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: h.slack.identity.teamId, user_id: h.slack.identity.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

export async function sendEvent(h: SlackHarness, event: Record<string, unknown>) {
  const body = JSON.stringify(eventEnvelope(h, event));
  return sendSlack(h.url, { body, secret: SECRET, contentType: 'application/json' });
}

export function assistantThreadStarted(channel: string, threadTs: string, userId: string) {
  return {
    type: 'assistant_thread_started',
    assistant_thread: {
      user_id: userId,
      context: { channel_id: 'C0PROPOSALS', team_id: 'T111', enterprise_id: null },
      channel_id: channel,
      thread_ts: threadTs,
    },
  };
}

export function imThreadMessage(channel: string, threadTs: string, userId: string, text: string) {
  return {
    type: 'message',
    user: userId,
    text,
    ts: `${Date.now() / 1000}`,
    thread_ts: threadTs,
    channel,
    channel_type: 'im',
    parent_user_id: 'UBOT111',
  };
}

export function mention(channel: string, userId: string, text: string, threadTs?: string) {
  return {
    type: 'app_mention',
    user: userId,
    text: `<@UBOT111> ${text}`,
    ts: `${(Date.now() / 1000).toFixed(6)}`,
    channel,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
}

export function channelMessage(channel: string, userId: string, text: string, threadTs?: string) {
  return {
    type: 'message',
    user: userId,
    text,
    ts: `${(Date.now() / 1000).toFixed(6)}`,
    channel,
    channel_type: 'channel',
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
}

export function dm(channel: string, userId: string, text: string) {
  return { type: 'message', user: userId, text, ts: `${(Date.now() / 1000).toFixed(6)}`, channel, channel_type: 'im' };
}
