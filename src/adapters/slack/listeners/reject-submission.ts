import type { App } from '@slack/bolt';
import { VIEWS } from '../views/action-ids.ts';
import { registerReasonSubmission } from './reason-submission.ts';
import type { SurfaceContext } from './surface-context.ts';

/** The reject modal's submit: approvers only, the reason into the audit trail. */
export function registerRejectSubmission(app: App, ctx: SurfaceContext): void {
  registerReasonSubmission(app, ctx, {
    view: VIEWS.reject,
    role: 'approve',
    what: 'reject',
    decide: (c, origin, decision) => c.decisions.reject({ id: origin.id, expectedVersion: origin.version, ...decision }),
  });
}
