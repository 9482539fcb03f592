import type { WebClient } from '@slack/web-api';
import type { CycleRunner } from '../../../cycle/run-cycle.ts';
import type { Logger } from '../../../logging.ts';
import type { ProposalNotifier } from '../../../ports/notifier.ts';
import type { ProposalStore } from '../../../ports/store.ts';
import type { Decisions } from '../../../proposals/decisions.ts';
import type { Revisions } from '../../../proposals/revisions.ts';
import type { ClickAuthorization } from '../security/click-authorization.ts';
import type { ScheduleStatus } from '../views/home-view.ts';
import type { SlackStateStore } from '../state/slack-state.ts';

/** What every listener gets: the core, the Slack-side helpers, and a way to run work after the ack. */
export interface SurfaceContext {
  store: ProposalStore;
  decisions: Decisions;
  revisions?: Revisions;
  runCycle?: CycleRunner;
  scheduleStatus?: () => Promise<ScheduleStatus>;
  authorization: ClickAuthorization;
  state: SlackStateStore;
  notifier: ProposalNotifier;
  logger: Logger;
  /** Refreshes the App Home of this user now (and remembers them for later refreshes). */
  publishHome(client: WebClient, userId: string): Promise<void>;
  /** PUBLIC_URL: messages link to the dashboard. */
  publicUrl?: string;
}

/** Where to tell a person something only they see. */
export interface Audience {
  userId: string;
  /** The channel the click came from (a message); absent for App Home and modals. */
  channel?: string;
}

/**
 * Tells one person something only they see: an ephemeral in the channel of their click, or a DM
 * from the app when there is no channel (App Home, modals). Never throws: a lost notice is logged.
 */
export async function tellUser(client: WebClient, audience: Audience, text: string, logger: Logger): Promise<void> {
  if (audience.channel && !audience.channel.startsWith('D')) {
    try {
      await client.chat.postEphemeral({ channel: audience.channel, user: audience.userId, text });
      return;
    } catch (error) {
      // e.g. channel_not_found in a private channel the bot left: a DM still reaches the person.
      logger.info({ err: error, user: audience.userId }, 'ephemeral failed; answering in a DM');
    }
  }
  try {
    await client.chat.postMessage({ channel: audience.userId, text });
  } catch (error) {
    logger.warn({ err: error, user: audience.userId }, 'could not tell the user');
  }
}
