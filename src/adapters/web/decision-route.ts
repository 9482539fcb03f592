import type { Request, RequestHandler } from 'express';
import { ConflictError, IllegalTransition, RepositoryBusy, ValidationError, ExecutorUnavailable } from '../../domain/errors.ts';
import { isProposalId } from '../../domain/ids.ts';
import type { Logger } from '../../logging.ts';
import { type Decisions } from '../../proposals/decisions.ts';
import type { FlashCode } from './flash.ts';
import type { Viewer } from './layout.ts';
import { sendErrorPage, sendPage } from './page-response.ts';

const ACTIONS = ['approve', 'reject', 'execute', 'rollback'] as const;
type Action = (typeof ACTIONS)[number];
const KEY = /^[A-Za-z0-9_-]{16,64}$/;
const VERSION = /^[1-9]\d{0,8}$/;

/** What the form sent, checked; a code when it is not usable. */
function readForm(action: Action, body: Record<string, unknown>): { key: string; expectedVersion: number; reason: string } | FlashCode {
  const key = body.idempotencyKey;
  const version = body.expectedVersion;
  if (typeof key !== 'string' || !KEY.test(key) || typeof version !== 'string' || !VERSION.test(version)) return 'invalid';
  const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
  if (action === 'reject' || action === 'rollback') {
    if (!reason) return 'reason_missing';
    if (reason.length > 2000) return 'reason_too_long';
  }
  return { key, expectedVersion: Number(version), reason };
}

/** Typed refusals from the core become a message on the detail page; anything else an error page. */
function refusalCode(error: unknown): FlashCode | undefined {
  if (error instanceof RepositoryBusy) return 'repository_busy';
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof IllegalTransition) return 'illegal';
  if (error instanceof ExecutorUnavailable) return 'executor_unavailable';
  if (error instanceof ValidationError) return 'invalid';
  return undefined;
}

/**
 * POST /proposals/:id/:action. Post/redirect/get: every outcome that leaves the proposal readable
 * redirects (303) to its page with a code the page turns into a message, so a reload never re-posts.
 */
export function decisionRoute(deps: {
  decisions: Decisions;
  logger: Logger;
  actorOf(req: Request): string;
  viewerOf(req: Request): Viewer;
}): RequestHandler {
  return async (req, res, next) => {
    const id = req.params.id as string;
    const action = req.params.action as Action;
    if (!(ACTIONS as readonly string[]).includes(action) || !isProposalId(id)) {
      next();
      return;
    }
    const back = (code: FlashCode) => res.redirect(303, `/proposals/${encodeURIComponent(id)}?flash=${code}`);
    const fields = readForm(action, (req.body ?? {}) as Record<string, unknown>);
    if (typeof fields === 'string') {
      back(fields);
      return;
    }
    const decision = {
      id,
      actor: deps.actorOf(req),
      // Scoped by proposal and action, like the API's keys: the same form can only ever mean one thing.
      idempotencyKey: `web:${id}:${action}:${fields.key}`,
      expectedVersion: fields.expectedVersion,
    };
    try {
      if (action === 'approve') {
        const result = await deps.decisions.approve(decision);
        back(result.outcome === 'duplicate' ? 'duplicate' : 'approved');
      } else if (action === 'reject') {
        const result = await deps.decisions.reject({ ...decision, reason: fields.reason });
        back(result.outcome === 'duplicate' ? 'duplicate' : 'rejected');
      } else if (action === 'execute') {
        // A change's tests can run for minutes: the page comes back when it finished or after a moment, whichever is first.
        const { finished } = await deps.decisions.startExecution(decision);
        back(finished ? 'executed' : 'execution_started');
      } else {
        await deps.decisions.rollback({ ...decision, reason: fields.reason });
        back('rolled_back');
      }
    } catch (error) {
      const code = refusalCode(error);
      if (code) back(code);
      else sendErrorPage(res, error, deps.logger, deps.viewerOf(req));
    }
  };
}
