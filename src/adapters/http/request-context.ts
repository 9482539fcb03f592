import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../logging.ts';

/** What every handler may know about the request it serves. */
export interface RequestContext {
  requestId: string;
  /** A pino child logger carrying the request id. */
  log: Logger;
  /** Set by bearer auth: who the decision is recorded as (never the token itself). */
  actor?: string;
}

/** A caller's id is echoed only when it cannot break a log line or a header. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Probes hit these every few seconds; their lines would drown everything else at info. */
const PROBE_PATHS = new Set(['/healthz', '/readyz']);

const contexts = new WeakMap<Response, RequestContext>();

export function requestContext(res: Response, fallback?: Logger): RequestContext {
  const context = contexts.get(res);
  if (context) return context;
  if (!fallback) throw new Error('request context middleware is not mounted');
  return { requestId: 'unknown', log: fallback };
}

export function setActor(res: Response, actor: string): void {
  const context = contexts.get(res);
  if (context) context.actor = actor;
}

/**
 * Gives each request an id (the caller's `X-Request-Id` when sane), a child logger, and one log line
 * when it finishes. Headers are never logged: the Authorization header must stay out of every line.
 */
export function requestContextMiddleware(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next) => {
    const given = req.get('x-request-id');
    const requestId = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const log = logger.child({ requestId });
    const context: RequestContext = { requestId, log };
    contexts.set(res, context);
    const began = performance.now();
    res.once('finish', () => {
      // originalUrl: by now a mounted router may have left req.url relative to its mount point.
      const path = req.originalUrl.split('?', 1)[0];
      const line = {
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round((performance.now() - began) * 10) / 10,
        ...(context.actor ? { actor: context.actor } : {}),
      };
      if (path !== undefined && PROBE_PATHS.has(path) && res.statusCode < 400) log.debug(line, 'request');
      else log.info(line, 'request');
    });
    next();
  };
}
