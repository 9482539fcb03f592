import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import {
  CycleAlreadyRunning,
  ConflictError,
  RepositoryBusy,
  IllegalTransition,
  PolicyViolation,
  ProposalNotFound,
  StoreUnavailable,
  ValidationError,
  ExecutorUnavailable,
  NotRevisable,
} from '../../domain/errors.ts';
import type { Logger } from '../../logging.ts';
import { requestContext } from './request-context.ts';

/**
 * The one place where errors become HTTP answers. Every answer is `{ error, message }`: `error` is a
 * short code clients can branch on, `message` is for people and never carries internals.
 */
export interface ErrorBody {
  error: string;
  message: string;
}

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

/** An answer decided by the adapter itself (no token, unknown route), as opposed to one from the core. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function unauthorized(): HttpProblem {
  // One message for a missing and a wrong token: the answer must not help guess which part was wrong.
  return new HttpProblem(401, 'unauthorized', 'A valid bearer token is required', {
    'WWW-Authenticate': 'Bearer realm="improvement-loop"',
  });
}

/** Errors body-parser raises carry a `type`; these are the ones a client causes. */
const BODY_PARSER_ANSWERS: Record<string, ErrorAnswer> = {
  'entity.parse.failed': { status: 400, body: { error: 'bad_request', message: 'The body is not valid JSON' } },
  'entity.too.large': { status: 413, body: { error: 'payload_too_large', message: 'The body is larger than the API accepts' } },
  'request.aborted': { status: 400, body: { error: 'bad_request', message: 'The request body was cut short' } },
  'request.size.invalid': { status: 400, body: { error: 'bad_request', message: 'The body length does not match Content-Length' } },
  'encoding.unsupported': { status: 415, body: { error: 'unsupported_media_type', message: 'The content encoding is not supported' } },
  'charset.unsupported': { status: 415, body: { error: 'unsupported_media_type', message: 'The charset is not supported' } },
};

export function answerFor(error: unknown): ErrorAnswer {
  // Domain classes first: body-parser wraps our own verify errors and stamps a status on them.
  if (error instanceof HttpProblem) {
    return {
      status: error.status,
      body: { error: error.code, message: error.message },
      ...(error.headers ? { headers: error.headers } : {}),
    };
  }
  if (error instanceof ValidationError) return { status: 400, body: { error: 'bad_request', message: error.message } };
  if (error instanceof z.ZodError) return { status: 400, body: { error: 'bad_request', message: describeIssues(error) } };
  if (error instanceof ProposalNotFound) return { status: 404, body: { error: 'not_found', message: error.message } };
  if (error instanceof IllegalTransition) return { status: 409, body: { error: 'illegal_transition', message: error.message } };
  if (error instanceof RepositoryBusy) {
    return {
      status: 503,
      body: { error: 'repository_busy', message: error.message },
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof NotRevisable) return { status: 409, body: { error: 'not_revisable', message: error.message } };
  if (error instanceof ConflictError) return { status: 409, body: { error: 'conflict', message: error.message } };
  if (error instanceof PolicyViolation) return { status: 403, body: { error: 'policy_violation', message: error.message } };
  if (error instanceof ExecutorUnavailable) return { status: 503, body: { error: 'executor_unavailable', message: error.message } };
  if (error instanceof CycleAlreadyRunning) return { status: 409, body: { error: 'cycle_running', message: error.message } };
  if (error instanceof StoreUnavailable) {
    // The store's own message may name hosts or drivers: say only what the caller can act on.
    return {
      status: 503,
      body: { error: 'store_unavailable', message: 'The proposal store is unavailable; try again shortly' },
      headers: { 'Retry-After': '5' },
    };
  }
  const parserAnswer = bodyParserAnswer(error);
  if (parserAnswer) return parserAnswer;
  const clientStatus = clientErrorStatus(error);
  if (clientStatus) return { status: clientStatus, body: { error: 'bad_request', message: 'The request is malformed' } };
  return { status: 500, body: { error: 'internal_error', message: 'Something went wrong on our side' } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'value'}: ${issue.message}`)
    .join('; ');
}

function bodyParserAnswer(error: unknown): ErrorAnswer | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? BODY_PARSER_ANSWERS[type] : undefined;
}

/** Express and its router mark client faults (e.g. a path segment that is not valid percent-encoding) with a 4xx status. */
function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? 400 : undefined;
}

export function sendError(res: Response, answer: ErrorAnswer): void {
  if (answer.headers) res.set(answer.headers);
  res.status(answer.status).json(answer.body);
}

/** Express's final error handler: maps, answers, and logs only what is ours to fix. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const answer = answerFor(error);
    const { log } = requestContext(res, logger);
    if (answer.status >= 500) {
      // Only the error itself: body-parser errors carry the raw body, which is the client's data.
      log.error({ err: summarize(error), status: answer.status, code: answer.body.error }, 'request failed');
    } else {
      log.debug({ status: answer.status, code: answer.body.error }, 'request refused');
    }
    sendError(res, answer);
  };
}

function summarize(error: unknown): { type: string; message: string; stack?: string } {
  if (error instanceof Error) return { type: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { type: typeof error, message: String(error) };
}

export function notFoundHandler(): RequestHandler {
  return (_req, res) => {
    sendError(res, { status: 404, body: { error: 'not_found', message: 'No such route' } });
  };
}
