import type { WebClient } from '@slack/web-api';

/** Who this app is in Slack: requests must come from this workspace and this app. */
export interface SlackIdentity {
  teamId: string;
  appId: string;
  botUserId: string;
  botId: string;
}

/**
 * Learns the identity once (auth.test, then bots.info for the app id) and remembers it; a failure is
 * not remembered, so the next click tries again. Configured values (SLACK_TEAM_ID) win over learned ones.
 */
export function createIdentityResolver(client: WebClient, configured: { teamId?: string; appId?: string } = {}) {
  let known: SlackIdentity | undefined;
  let pending: Promise<SlackIdentity> | undefined;

  async function learn(): Promise<SlackIdentity> {
    const auth = await client.auth.test();
    const botId = auth.bot_id ?? '';
    let appId = configured.appId ?? '';
    if (!appId && botId) {
      const bot = await client.bots.info({ bot: botId });
      appId = bot.bot?.app_id ?? '';
    }
    const identity = { teamId: configured.teamId ?? auth.team_id ?? '', appId, botUserId: auth.user_id ?? '', botId };
    if (!identity.teamId || !identity.appId) throw new Error('auth.test / bots.info did not name the team and app');
    return identity;
  }

  return {
    /** The identity, or a rejection when Slack could not say (callers deny then). */
    resolve(): Promise<SlackIdentity> {
      if (known) return Promise.resolve(known);
      pending ??= learn().then(
        (identity) => {
          known = identity;
          pending = undefined;
          return identity;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
    /** What is known without asking Slack (Bolt's authorize must never wait on or fail with it). */
    peek: (): SlackIdentity | undefined => known,
  };
}

export type IdentityResolver = ReturnType<typeof createIdentityResolver>;
