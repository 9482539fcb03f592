import type { RankingSettings } from '../../proposals/ranking/pending-ranking.ts';
import type { RetryOptions } from '@slack/web-api';
import type express from 'express';
import type { Config } from '../../config.ts';
import type { Proposal } from '../../domain/proposal.ts';
import type { CycleRunner } from '../../cycle/run-cycle.ts';
import type { Logger } from '../../logging.ts';
import type { ProposalNotifier } from '../../ports/notifier.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { Decisions } from '../../proposals/decisions.ts';
import type { Revisions } from '../../proposals/revisions.ts';
import type { Answerer } from '../../assistant/answer.ts';
import type { AnswerRecord } from './listeners/assistant-reply.ts';
import type { SlackStateStore } from './state/slack-state.ts';
import type { ScheduleStatus } from './views/home-view.ts';

/** What the composition root sees of Slack, whichever way it is delivered (Bolt, or the outbox when Slack is off). */

export type SlackSettings = NonNullable<Config['slack']>;

export interface SlackSurfaceDeps {
  /** config.slack: undefined → Slack is off and messages go to the outbox. */
  settings: SlackSettings | undefined;
  /** config.outboxDir. */
  outboxDir: string;
  store: ProposalStore;
  decisions: Decisions;
  /** `/improve revise <id> <instructions>`; absent → the command says revising is not available here. */
  revisions?: Revisions;
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
  /** PUBLIC_URL: messages and digest items link to the dashboard; unset → no links. */
  publicUrl?: string;
  /** RANKING_MIN_DECISIONS: the digest lists pending proposals in learned order once there are enough decisions. */
  ranking?: RankingSettings;
  /** A signed URL of a proposal's chart image (PUBLIC_URL set and the proposal has a chart). */
  chartImageUrl?: (proposal: Proposal) => string | undefined;
  /** The conversational assistant (mentions, DMs, the assistant container, proposal threads); absent → not registered. */
  assistant?: AssistantSettings;
}

export interface AssistantSettings {
  /** Builds the answerer; `slackLink` gives the permalink of a proposal's Slack message (for citations). */
  answerer(slackLink: (proposalId: string) => Promise<string | undefined>): Answerer;
  /** ASSISTANT_ALLOWED: 'everyone' in the workspace, or user (U…) and user-group (S…) ids. */
  allowed: 'everyone' | string[];
  onAnswer?: (record: AnswerRecord) => void;
}

export interface SlackSurface {
  /** For the start line: 'http (/slack/events, channel C123)', 'socket mode (…)', 'off (outbox at …)'. */
  mode: string;
  /** HTTP mode: mount with createHttpApp({ surfaces: [handler] }); serves POST /slack/events. */
  handler?: express.RequestHandler;
  /** Pass to createDecisions and the cycle: keeps Slack messages in step with the store. */
  notifier: ProposalNotifier;
  /** The permalink of the proposal's message (chat.getPermalink); null when it has none or Slack is off. */
  permalink(proposalId: string): Promise<string | null>;
  /** The daily digest (posted, or edited when today's already exists). */
  postDigest(now: Date): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when no Slack request is being handled (graceful stop; tests). */
  idle(): Promise<void>;
}
