import type { Request, RequestHandler } from 'express';
import { HttpProblem } from './errors.ts';

/** Methods whose body the API reads. A GET's body, if a client sends one, is ignored as before. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when the request carries bytes: a Content-Length above 0, or a chunked body of unknown length. */
function hasContent(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length'] ?? 0);
  return !Number.isFinite(length) || length > 0;
}

/**
 * Refuses a body the JSON parser would skip. Without this, a form-encoded `POST /analyze` reads as no
 * body at all and runs a full cycle. An empty body, with any type or none, still means "no options".
 */
export function requireJsonBody(): RequestHandler {
  return (req, _res, next) => {
    if (!BODY_METHODS.has(req.method) || !hasContent(req) || req.is('application/json')) {
      next();
      return;
    }
    // Cut: the header is the client's text, echoed back only far enough to say what was sent.
    const given = (req.headers['content-type'] ?? 'no Content-Type').slice(0, 100);
    next(
      new HttpProblem(415, 'unsupported_media_type', `The body must be JSON (Content-Type: application/json), not ${given}`, {
        'Accept-Post': 'application/json',
      }),
    );
  };
}
