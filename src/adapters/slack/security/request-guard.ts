import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../../logging.ts';
import type { SlackStateStore } from '../state/slack-state.ts';

export interface RequestGuardOptions {
  signingSecret: string;
  state: SlackStateStore;
  logger: Logger;
  /** Slack's replay window: older requests are refused (Bolt does this too). */
  maxAgeSeconds?: number;
  /** Future timestamps beyond this are refused; Bolt accepts any future timestamp. */
  maxSkewSeconds?: number;
  bodyLimitBytes?: number;
  now?: () => number;
  observeAck?: (seconds: number, kind: string) => void;
}

/** A request Slack signs: v0=hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body)). */
export function slackSignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * In front of Bolt on POST /slack/events (docs/RELIABILITY.md test 13). Bolt checks the signature and
 * refuses old timestamps, but accepts any future one and remembers no request, so a captured request
 * could be replayed for five minutes. This guard checks the signature itself (constant time), refuses
 * timestamps outside [now − 5 min, now + skew], answers each signed request once (a replay gets an
 * empty 200 and reaches no listener), and answers ssl_check itself so a payload riding along with it is
 * never dispatched. It hands Bolt the raw bytes it read (`req.rawBody`), so Bolt verifies them again.
 */
export function slackRequestGuard(options: RequestGuardOptions): RequestHandler {
  if (!options.signingSecret) throw new Error('SLACK_SIGNING_SECRET is empty: refusing to accept Slack requests without checking them');
  const now = options.now ?? Date.now;
  const maxAge = options.maxAgeSeconds ?? 300;
  const maxSkew = options.maxSkewSeconds ?? 60;
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  // Replays are caught here first (fast, this process), then in the shared store (other replicas).
  const seen = new Map<string, number>();
  const log = options.logger;

  function refuse(res: Response, status: number, why: string, req: Request): void {
    log.warn({ audit: 'slack_request_refused', why, ip: req.ip }, 'Slack request refused');
    res.status(status).end();
  }

  async function firstTime(key: string, ttlSeconds: number): Promise<boolean> {
    const t = now();
    for (const [k, until] of seen) if (until <= t) seen.delete(k);
    if (seen.has(key)) return false;
    seen.set(key, t + ttlSeconds * 1000);
    try {
      // Capped: a slow store must not eat the 3 s ack budget; this process's memory still caught local replays.
      const claim = options.state.claimOnce(key, ttlSeconds);
      const claimed = await Promise.race([claim, new Promise<boolean>((resolve) => setTimeout(resolve, 300, true).unref())]);
      claim.catch(() => undefined);
      return claimed;
    } catch {
      return true;
    }
  }

  return async (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    let kind = 'unknown';
    res.once('finish', () => options.observeAck?.(Number(process.hrtime.bigint() - started) / 1e9, kind));

    const signature = req.headers['x-slack-signature'];
    const timestamp = req.headers['x-slack-request-timestamp'];
    if (typeof signature !== 'string' || !SIGNATURE.test(signature)) return refuse(res, 401, 'signature header missing or malformed', req);
    if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return refuse(res, 401, 'timestamp header missing or malformed', req);
    const age = Math.floor(now() / 1000) - Number(timestamp);
    if (age > maxAge) return refuse(res, 401, 'timestamp too old', req);
    if (age < -maxSkew) return refuse(res, 401, 'timestamp in the future', req);

    let raw: Buffer;
    try {
      raw = await readBody(req, limit);
    } catch (error) {
      return refuse(res, (error as { status?: number }).status ?? 400, 'body unreadable or too large', req);
    }
    const expected = Buffer.from(slackSignature(options.signingSecret, timestamp, raw));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refuse(res, 401, 'signature mismatch', req);

    const parsed = describeRequest(req.headers['content-type'], raw);
    kind = parsed.kind;
    if (kind === 'ssl_check') return void res.status(200).end();
    if (!(await firstTime(`replay:${signature}`, maxAge + maxSkew))) {
      log.warn({ audit: 'slack_replay', kind }, 'a Slack request was replayed; answered without dispatching');
      return void res.status(200).end();
    }
    // Slack re-delivers an event it thinks was lost (X-Slack-Retry-Num), newly signed but with the same
    // event_id: handled once. Interactions carry their own idempotency keys (the click's action_ts).
    if (parsed.eventId && !(await firstTime(`event:${parsed.eventId}`, 3600))) {
      log.info({ kind, eventId: parsed.eventId, retry: req.headers['x-slack-retry-num'] }, 'a Slack event retry was already handled');
      return void res.status(200).end();
    }
    (req as Request & { rawBody?: Buffer }).rawBody = raw;
    next();
  };
}

function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** What a (verified) request is: for metrics, for refusing ssl_check smuggling, and an event's id for retries. */
function describeRequest(contentType: string | undefined, raw: Buffer): { kind: string; eventId?: string } {
  try {
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = parseQuery(raw.toString('utf8'));
      if ('ssl_check' in form) return { kind: 'ssl_check' };
      if (typeof form.payload === 'string') return { kind: String((JSON.parse(form.payload) as { type?: unknown }).type ?? 'interactive') };
      if (typeof form.command === 'string') return { kind: 'slash_command' };
      return { kind: 'form' };
    }
    const body = JSON.parse(raw.toString('utf8')) as { type?: unknown; event_id?: unknown; event?: { type?: unknown } };
    const eventId = typeof body.event_id === 'string' && body.event_id.length <= 100 ? body.event_id : undefined;
    return { kind: String(body.event?.type ?? body.type ?? 'json'), ...(eventId ? { eventId } : {}) };
  } catch {
    return { kind: 'unparsable' };
  }
}
