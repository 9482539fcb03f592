import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ConflictError, IllegalTransition, ProposalNotFound } from '../../../domain/errors.ts';
import type { Proposal } from '../../../domain/proposal.ts';
import { decisionLine } from '../views/proposal-message.ts';
import type { WebClient } from '@slack/web-api';
import { ACTIONS, decodeTarget, type ButtonTarget } from '../views/action-ids.ts';
import type { ClickActor, Role } from '../security/click-authorization.ts';
import { denialFeedback, errorFeedback } from './decision-feedback.ts';
import { renderDetailsModal, renderRejectModal, renderRollbackModal } from '../views/proposal-modals.ts';
import { tellUser, type Audience, type SurfaceContext } from './surface-context.ts';

/** The facts of one click, read from the signed payload. */
export interface Click {
  actor: ClickActor;
  audience: Audience;
  target: ButtonTarget | null;
  /** Same for Slack's retries of this click, different for every new click. */
  idempotencyKey: string;
  triggerId: string;
}

export function readClick(body: BlockAction): Click {
  const action = body.actions[0] as ButtonAction | undefined;
  const userId = body.user.id;
  const channel = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
  return {
    actor: {
      userId,
      teamId: body.team?.id ?? body.user.team_id,
      appId: body.api_app_id,
      isBot: Boolean((body.user as { is_bot?: boolean }).is_bot),
    },
    audience: { userId, ...(channel ? { channel } : {}) },
    target: decodeTarget(action?.value),
    idempotencyKey: `slack:${action?.action_id ?? 'action'}:${action?.action_ts ?? body.trigger_id}:${userId}`,
    triggerId: body.trigger_id,
  };
}

/**
 * Approve, Reject, Execute and Details. Each listener acks first (Slack shows an error after 3 s),
 * then checks who clicked, then asks the core. The message is never edited here: the store's write,
 * once it succeeded, tells the notifier, which re-renders it; a refused or failed click leaves the
 * message as it was and tells the clicker why.
 */
export function registerProposalActions(app: App, ctx: SurfaceContext): void {
  const { logger } = ctx;

  async function guarded(client: WebClient, click: Click, role: Role, what: string): Promise<ButtonTarget | null> {
    if (!click.target) {
      logger.warn({ audit: 'slack_bad_value', user: click.actor.userId, what }, 'a click carried no valid proposal reference');
      await tellUser(
        client,
        click.audience,
        'This button is not valid (the message may be from an older version). Nothing was changed.',
        logger,
      );
      return null;
    }
    const verdict = await ctx.authorization.authorize(click.actor, role, { proposalId: click.target.id, what });
    if (!verdict.allowed) {
      await tellUser(client, click.audience, denialFeedback(verdict.reason), logger);
      return null;
    }
    return click.target;
  }

  async function report(client: WebClient, click: Click, error: unknown, what: string): Promise<void> {
    const feedback = errorFeedback(error);
    const log = { err: error, proposalId: click.target?.id, user: click.actor.userId, what };
    if (feedback.expected) logger.info(log, 'Slack action not applied');
    else logger.error(log, 'Slack action failed');
    let text = feedback.text;
    if ((error instanceof ConflictError || error instanceof IllegalTransition) && click.target) {
      text = await explainConflict(click.target, text);
    }
    await tellUser(client, click.audience, text, logger);
  }

  /**
   * Says who decided first; and when the proposal only changed content (still open, newer version),
   * the message was stale: it is re-rendered so the person can look again before deciding.
   */
  async function explainConflict(target: ButtonTarget, fallback: string): Promise<string> {
    try {
      const current = await ctx.store.get(target.id);
      if (!current) return fallback;
      if (current.status === 'pending' && current.version !== target.version) {
        await ctx.notifier.proposalChanged(current, { action: 'refreshed', actor: 'system' });
        return ':information_source: This proposal changed after the message was shown; the message now shows the latest version. Look again, then decide. Nothing was changed.';
      }
      return `:information_source: Someone got there first, so your click changed nothing: ${decisionLine(current)}.`;
    } catch {
      return fallback;
    }
  }

  const actor = (click: Click) => `slack:${click.actor.userId}`;

  /** Every button: ack first, then check who clicked and on what, then the work; a failure is told to the clicker. */
  function onClick(
    actionId: string,
    role: Role,
    verb: string,
    work: (click: Click, target: ButtonTarget, client: WebClient) => Promise<unknown>,
  ): void {
    app.action<BlockAction>(actionId, async ({ ack, body, client }) => {
      await ack();
      const click = readClick(body);
      const target = await guarded(client, click, role, verb);
      if (!target) return;
      try {
        await work(click, target, client);
      } catch (error) {
        await report(client, click, error, verb);
      }
    });
  }

  async function loadProposal(id: string): Promise<Proposal> {
    const proposal = await ctx.store.get(id);
    if (!proposal) throw new ProposalNotFound(id);
    return proposal;
  }

  onClick(ACTIONS.approve, 'approve', 'approve', (click, target) =>
    ctx.decisions.approve({ id: target.id, actor: actor(click), idempotencyKey: click.idempotencyKey, expectedVersion: target.version }),
  );

  onClick(ACTIONS.reject, 'approve', 'reject', async (click, target, client) =>
    client.views.open({
      trigger_id: click.triggerId,
      view: renderRejectModal(await loadProposal(target.id), {
        ...target,
        ...(click.audience.channel ? { channel: click.audience.channel } : {}),
      }),
    }),
  );

  // Runs the whole execution; progress and the result reach the thread through the notifier.
  onClick(ACTIONS.execute, 'execute', 'execute', (click, target) =>
    ctx.decisions.execute({ id: target.id, actor: actor(click), idempotencyKey: click.idempotencyKey, expectedVersion: target.version }),
  );

  // Authorized like Execute before the modal opens, and again when it is submitted (rollback-submission.ts).
  onClick(ACTIONS.rollback, 'execute', 'rollback', async (click, target, client) =>
    client.views.open({
      trigger_id: click.triggerId,
      view: renderRollbackModal(await loadProposal(target.id), {
        ...target,
        ...(click.audience.channel ? { channel: click.audience.channel } : {}),
      }),
    }),
  );

  onClick(ACTIONS.details, 'view', 'details', async (click, target, client) =>
    client.views.open({ trigger_id: click.triggerId, view: renderDetailsModal(await loadProposal(target.id)) }),
  );

  // A link button opens the dashboard in the browser; Slack still sends the click, which needs only its ack.
  app.action<BlockAction>(ACTIONS.openDashboard, async ({ ack }) => {
    await ack();
  });

  // Any other action (a button from an older version of these messages): ack it, or Slack shows an
  // error after 3 s and Bolt answers 404. Our own ids are excluded so nothing is acked twice.
  const ours = new Set<string>(Object.values(ACTIONS));
  app.action<BlockAction>({ action_id: /.*/ }, async ({ ack, action }) => {
    if (ours.has((action as ButtonAction).action_id)) return;
    await ack();
    logger.info({ actionId: (action as ButtonAction).action_id }, 'ignored an unknown Slack action');
  });
}
