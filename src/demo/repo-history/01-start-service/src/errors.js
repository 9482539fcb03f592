/**
 * Errors a handler throws on purpose carry their HTTP status; anything else is a bug, answered with
 * 500 and written to the error log.
 */
export class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}

/** A 404: the thing asked for does not exist. */
export class NotFoundError extends HttpError {
  /** @param {string} message */
  constructor(message) {
    super(404, 'not_found', message);
    this.name = 'NotFoundError';
  }
}

/**
 * The error-log entry of an unexpected error: the row the log shipper loads into logs.error_logs.
 * @param {Error} error
 * @param {string} endpoint e.g. "GET /api/orders/:id"
 */
export function toErrorLog(error, endpoint) {
  return {
    timestamp: new Date().toISOString(),
    severity: 'error',
    error_type: error.name,
    error_message: error.message,
    stack_trace: error.stack ?? null,
    endpoint,
  };
}
