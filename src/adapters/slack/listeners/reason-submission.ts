import type { App, ViewSubmitAction } from '@slack/bolt';
import { decodeRejectContext, REJECT_INPUT, type RejectContext } from '../views/action-ids.ts';
import type { Role } from '../security/click-authorization.ts';
import { denialFeedback, errorFeedback } from './decision-feedback.ts';
import { tellUser, type SurfaceContext } from './surface-context.ts';

export interface ReasonDecision {
  /** The modal's callback_id. */
  view: string;
  /** Who may submit it: the same role as the button that opened it. */
  role: Role;
  what: string;
  decide(ctx: SurfaceContext, origin: RejectContext, decision: { actor: string; idempotencyKey: string; reason: string }): Promise<unknown>;
}

/**
 * The submit of a modal that asks why (reject, roll back). The reason is checked before the ack (an
 * empty one keeps the modal open with an error, which only the ack can do); the decision runs after
 * it, authorized again, since a modal's submission is a request of its own. The reason is stored
 * with the transition, so it lands in the proposal's history: the audit trail.
 */
export function registerReasonSubmission(app: App, ctx: SurfaceContext, spec: ReasonDecision): void {
  const { logger } = ctx;
  app.view<ViewSubmitAction>(spec.view, async ({ ack, body, view, client }) => {
    const reason = view.state.values[REJECT_INPUT.block]?.[REJECT_INPUT.action]?.value?.trim() ?? '';
    if (reason.length < 3) {
      await ack({ response_action: 'errors', errors: { [REJECT_INPUT.block]: 'Please say why (at least 3 characters).' } });
      return;
    }
    if (reason.length > 2000) {
      await ack({ response_action: 'errors', errors: { [REJECT_INPUT.block]: 'At most 2000 characters, please.' } });
      return;
    }
    await ack();
    const origin = decodeRejectContext(view.private_metadata);
    const audience = { userId: body.user.id, ...(origin?.channel ? { channel: origin.channel } : {}) };
    if (!origin) {
      logger.warn({ audit: 'slack_bad_value', user: body.user.id, what: spec.what }, 'a modal carried no valid proposal reference');
      return;
    }
    const actor = { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id, appId: body.api_app_id };
    const verdict = await ctx.authorization.authorize(actor, spec.role, { proposalId: origin.id, what: spec.what });
    if (!verdict.allowed) return tellUser(client, audience, denialFeedback(verdict.reason), logger);
    try {
      await spec.decide(ctx, origin, {
        actor: `slack:${body.user.id}`,
        // The view id is the same for Slack's retries of this submission and new for every modal.
        idempotencyKey: `slack:${spec.what}:${view.id}:${body.user.id}`,
        reason,
      });
    } catch (error) {
      const feedback = errorFeedback(error);
      if (!feedback.expected) logger.error({ err: error, proposalId: origin.id }, `Slack ${spec.what} failed`);
      await tellUser(client, audience, feedback.text, logger);
    }
  });
}
