import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../logging.ts';
import type { IdentityResolver } from './slack-identity.ts';

/** Who clicked, as the signed request says. */
export interface ClickActor {
  userId: string;
  teamId?: string;
  appId?: string;
  /** Slack marks bots in some payloads; a bot never decides. */
  isBot?: boolean;
}

/** view: read-only things (Details, lists); approve: approve, reject, run a cycle, subscribe; execute: Execute. */
export type Role = 'view' | 'approve' | 'execute';

export type Verdict = { allowed: true } | { allowed: false; reason: DenialReason };

export type DenialReason =
  'nobody_configured' | 'wrong_team' | 'wrong_app' | 'bot_user' | 'not_listed' | 'group_lookup_failed' | 'identity_unknown';

export interface AuthorizationOptions {
  /** U…/W… users and S… user groups who may approve and reject (and run /improve analyze, subscribe). */
  approvers: string[];
  /** Who may press Execute; the config defaults it to the approvers. */
  executors: string[];
  identity: IdentityResolver;
  /** A client with no retries and a short timeout: a look-up that does not answer at once denies. */
  lookupClient: WebClient;
  groupCacheMs?: number;
  logger: Logger;
  now?: () => number;
}

/**
 * Who may act, failing closed: an empty list lets nobody act, a user-group look-up that fails (500,
 * ratelimited, timeout) denies, and so does a request from another workspace or app, or from a bot.
 * Every denial is logged with its reason: that log is the audit trail of refused clicks.
 */
export function createClickAuthorization(options: AuthorizationOptions) {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const cacheMs = options.groupCacheMs ?? 60_000;
  const groups = new Map<string, { members: Set<string>; until: number }>();

  async function groupMembers(groupId: string): Promise<Set<string>> {
    const cached = groups.get(groupId);
    if (cached && cached.until > now()) return cached.members;
    const answer = await options.lookupClient.usergroups.users.list({ usergroup: groupId });
    if (!answer.ok || !Array.isArray(answer.users)) throw new Error(`usergroups.users.list answered ${answer.error ?? 'without users'}`);
    const members = new Set(answer.users);
    groups.set(groupId, { members, until: now() + cacheMs });
    return members;
  }

  async function listed(userId: string, list: string[]): Promise<Verdict> {
    if (list.length === 0) return { allowed: false, reason: 'nobody_configured' };
    if (list.includes(userId)) return { allowed: true };
    for (const entry of list.filter((e) => e.startsWith('S'))) {
      try {
        if ((await groupMembers(entry)).has(userId)) return { allowed: true };
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message }, usergroup: entry }, 'user-group look-up failed; denying');
        return { allowed: false, reason: 'group_lookup_failed' };
      }
    }
    return { allowed: false, reason: 'not_listed' };
  }

  async function decide(actor: ClickActor, role: Role): Promise<Verdict> {
    let identity;
    try {
      identity = await options.identity.resolve();
    } catch {
      return { allowed: false, reason: 'identity_unknown' };
    }
    if (actor.teamId !== identity.teamId) return { allowed: false, reason: 'wrong_team' };
    if (actor.appId !== undefined && actor.appId !== identity.appId) return { allowed: false, reason: 'wrong_app' };
    if (actor.isBot || actor.userId === identity.botUserId || !/^[UW][A-Z0-9]+$/.test(actor.userId)) {
      return { allowed: false, reason: 'bot_user' };
    }
    if (role === 'view') return { allowed: true };
    return listed(actor.userId, role === 'execute' ? options.executors : options.approvers);
  }

  return {
    async authorize(actor: ClickActor, role: Role, subject: { proposalId?: string; what: string }): Promise<Verdict> {
      const verdict = await decide(actor, role);
      if (!verdict.allowed) {
        logger.warn(
          {
            audit: 'slack_denied',
            reason: verdict.reason,
            user: actor.userId,
            team: actor.teamId,
            app: actor.appId,
            role,
            action: subject.what,
            proposalId: subject.proposalId,
          },
          'Slack action denied',
        );
      }
      return verdict;
    },
    /** Whether the App Home shows this user buttons; quiet (no audit line), the click itself is checked again. */
    async mayApprove(userId: string): Promise<boolean> {
      return (await listed(userId, options.approvers)).allowed;
    },
  };
}

export type ClickAuthorization = ReturnType<typeof createClickAuthorization>;
