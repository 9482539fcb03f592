import type { App, ViewSubmitAction } from '@slack/bolt';
import { decodeRejectContext, REJECT_INPUT, VIEWS } from '../views/action-ids.ts';
import { denialFeedback, errorFeedback } from './decision-feedback.ts';
import { tellUser, type SurfaceContext } from './surface-context.ts';

/**
 * The reject modal's submit. The reason is checked before the ack (an empty one keeps the modal open
 * with an error, which only the ack can do); the decision runs after it. The reason is stored with
 * the transition, so it lands in the proposal's history: the audit trail.
 */
export function registerRejectSubmission(app: App, ctx: SurfaceContext): void {
  const { logger } = ctx;
  app.view<ViewSubmitAction>(VIEWS.reject, async ({ ack, body, view, client }) => {
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
      logger.warn({ audit: 'slack_bad_value', user: body.user.id }, 'a reject modal carried no valid proposal reference');
      return;
    }
    const actor = { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id, appId: body.api_app_id };
    const verdict = await ctx.authorization.authorize(actor, 'approve', { proposalId: origin.id, what: 'reject' });
    if (!verdict.allowed) return tellUser(client, audience, denialFeedback(verdict.reason), logger);
    try {
      await ctx.decisions.reject({
        id: origin.id,
        actor: `slack:${body.user.id}`,
        // The view id is the same for Slack's retries of this submission and new for every modal.
        idempotencyKey: `slack:reject:${view.id}:${body.user.id}`,
        expectedVersion: origin.version,
        reason,
      });
    } catch (error) {
      const feedback = errorFeedback(error);
      if (!feedback.expected) logger.error({ err: error, proposalId: origin.id }, 'Slack reject failed');
      await tellUser(client, audience, feedback.text, logger);
    }
  });
}
