import type { RequestHandler, Response } from 'express';
import { ProposalNotFound, StoreUnavailable } from '../../domain/errors.ts';
import type { Logger } from '../../logging.ts';
import { requestContext } from '../http/request-context.ts';
import { errorPage } from './error-page.ts';
import type { SafeHtml } from './html.ts';
import type { Viewer } from './layout.ts';

/**
 * Self only, and no inline script or style: whatever text slipped through escaping could still not
 * run. Forms may post only here; the page cannot be framed.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const pageHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    // Pages carry proposal content and CSRF tokens: no shared or back-button caches.
    'Cache-Control': 'no-store',
  });
  next();
};

export function sendPage(res: Response, status: number, body: SafeHtml): void {
  res.status(status).type('html').send(body.value);
}

/** The one place where errors become dashboard pages (the API's handler answers JSON). */
export function sendErrorPage(res: Response, error: unknown, logger: Logger, viewer?: Viewer): void {
  const who = viewer ? { viewer } : {};
  if (error instanceof ProposalNotFound) {
    sendPage(
      res,
      404,
      errorPage({
        title: 'Not found',
        message: 'There is no proposal with that id (decided proposals expire after the retention period).',
        ...who,
      }),
    );
    return;
  }
  if (error instanceof StoreUnavailable) {
    res.set('Retry-After', '5');
    sendPage(res, 503, errorPage({ title: 'Store unavailable', message: 'The proposal store is unavailable; try again shortly.', ...who }));
    return;
  }
  requestContext(res, logger).log.error({ err: error }, 'dashboard page failed');
  sendPage(
    res,
    500,
    errorPage({ title: 'Something went wrong', message: 'Something went wrong on our side; the error is in the service log.', ...who }),
  );
}
