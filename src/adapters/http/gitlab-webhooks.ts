import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { ValidationError } from '../../domain/errors.ts';
import type { Logger } from '../../logging.ts';
import type { CodeHostEvent } from '../../ports/code-host.ts';
import type { FollowOutcome } from '../../pull-requests/pull-request-follower.ts';
import { isFollowedGitLabEvent, readGitLabEvent } from '../code-host/gitlab/webhook-events.ts';
import { answerFor, HttpProblem, sendError } from './errors.ts';

/** GitLab sends the webhook's secret token as it is, in X-Gitlab-Token: compared in constant time (as digests, so lengths match). */
export function validGitLabToken(secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(secret), digest(header));
}

/**
 * `POST /gitlab/webhooks`: the secret token first (401 and nothing read otherwise), hooks a proposal
 * does not follow answered 202, a followed one applied once per delivery (Idempotency-Key, else
 * X-Gitlab-Event-UUID).
 */
export function gitlabWebhooks(deps: {
  secret: string;
  apply(event: CodeHostEvent): Promise<FollowOutcome>;
  logger: Logger;
}): RequestHandler {
  const router = express.Router();
  router.post('/gitlab/webhooks', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const work = async () => {
      if (!validGitLabToken(deps.secret, req.get('x-gitlab-token')))
        throw new HttpProblem(401, 'bad_token', 'X-Gitlab-Token is not the secret token in GITLAB_WEBHOOK_SECRET');
      const event = req.get('x-gitlab-event') ?? '';
      const delivery = req.get('idempotency-key') ?? req.get('x-gitlab-event-uuid') ?? '';
      if (!delivery || delivery.length > 100) throw new ValidationError('Idempotency-Key or X-Gitlab-Event-UUID is missing or too long');
      if (!isFollowedGitLabEvent(event))
        return { status: 202, body: { outcome: 'ignored', reason: `${event || 'an unnamed'} hook is not followed` } };
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ValidationError('The delivery body is not JSON');
      }
      const followed = readGitLabEvent(event, delivery, payload);
      if (!followed) return { status: 202, body: { outcome: 'ignored', reason: `this ${event} is not followed` } };
      const outcome = await deps.apply(followed);
      return { status: outcome.outcome === 'ignored' ? 202 : 200, body: outcome };
    };
    work().then(
      ({ status, body }) => res.status(status).json(body),
      (error: unknown) => {
        const answer = answerFor(error);
        if (answer.status >= 500) deps.logger.error({ err: error }, 'GitLab delivery failed');
        sendError(res, answer);
      },
    );
  });
  return router;
}
