import type { App } from '@slack/bolt';
import { VIEWS } from '../views/action-ids.ts';
import { registerReasonSubmission } from './reason-submission.ts';
import type { SurfaceContext } from './surface-context.ts';

/**
 * The roll-back modal's submit: authorized like Execute (SLACK_EXECUTORS), then the same rollback
 * the API and the CLI use (decisions.rollback → the executor reverts the change, then the store).
 * The outcome reaches the thread through the notifier.
 */
export function registerRollbackSubmission(app: App, ctx: SurfaceContext): void {
  registerReasonSubmission(app, ctx, {
    view: VIEWS.rollback,
    role: 'execute',
    what: 'rollback',
    decide: (c, origin, decision) => c.decisions.rollback({ id: origin.id, expectedVersion: origin.version, ...decision }),
  });
}
