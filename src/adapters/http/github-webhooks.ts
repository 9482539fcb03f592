import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { ValidationError } from '../../domain/errors.ts';
import type { Logger } from '../../logging.ts';
import type { CodeHostEvent } from '../../ports/code-host.ts';
import type { FollowOutcome } from '../../pull-requests/pull-request-follower.ts';
import { isFollowedEvent, readGitHubEvent } from '../code-host/github/webhook-events.ts';
import { answerFor, HttpProblem, sendError } from './errors.ts';

/** GitHub caps a delivery at 25 MB; the events we follow are a few kB, so 1 MB bounds the work. */
const WEBHOOK_BODY_LIMIT = '1mb';

/** X-Hub-Signature-256 is `sha256=` + the hex HMAC of the raw body under the webhook secret. */
export function validGitHubSignature(secret: string, raw: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(raw).digest();
  // Equal lengths first: timingSafeEqual throws otherwise, and a short header is simply wrong.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface GitHubWebhookDeps {
  secret: string;
  apply(event: CodeHostEvent): Promise<FollowOutcome>;
  logger: Logger;
}

/**
 * `POST /github/webhooks`: the signature is checked over the raw bytes before anything is parsed (a
 * forged delivery is refused with 401 and changes nothing); ping and events a proposal does not follow
 * are answered 202 and ignored; a followed event is applied once per X-GitHub-Delivery (a redelivery
 * answers `duplicate`). A store outage answers 503, so the delivery shows as failed and can be redelivered.
 */
export function githubWebhooks(deps: GitHubWebhookDeps): RequestHandler {
  const router = express.Router();
  router.post('/github/webhooks', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const log = deps.logger.child({ delivery: req.get('x-github-delivery'), event: req.get('x-github-event') });
    const work = async () => {
      if (!validGitHubSignature(deps.secret, raw, req.get('x-hub-signature-256')))
        throw new HttpProblem(401, 'bad_signature', 'X-Hub-Signature-256 does not match the body under GITHUB_WEBHOOK_SECRET');
      const event = req.get('x-github-event') ?? '';
      const delivery = req.get('x-github-delivery') ?? '';
      if (!delivery || delivery.length > 100) throw new ValidationError('X-GitHub-Delivery is missing or too long');
      if (!isFollowedEvent(event))
        return { status: 202, body: { outcome: 'ignored', reason: `${event || 'an unnamed'} event is not followed` } };
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ValidationError('The delivery body is not JSON (set the webhook content type to application/json)');
      }
      const followed = readGitHubEvent(event, delivery, payload);
      if (!followed) return { status: 202, body: { outcome: 'ignored', reason: `this ${event} action is not followed` } };
      const outcome = await deps.apply(followed);
      return { status: outcome.outcome === 'ignored' ? 202 : 200, body: outcome };
    };
    work().then(
      ({ status, body }) => {
        log.info({ status, outcome: body.outcome }, 'GitHub delivery handled');
        res.status(status).json(body);
      },
      (error: unknown) => {
        const answer = answerFor(error);
        if (answer.status >= 500) log.error({ err: error }, 'GitHub delivery failed');
        else log.warn({ status: answer.status, message: answer.body.message }, 'GitHub delivery refused');
        sendError(res, answer);
      },
    );
  });
  return router;
}
