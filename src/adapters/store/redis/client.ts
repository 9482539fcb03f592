import { Redis, type RedisOptions } from 'ioredis';
import { DomainError, StoreUnavailable, errorMessage } from '../../../domain/errors.ts';
import type { Logger } from '../../../logging.ts';

/**
 * Two ways to connect, because the two kinds of caller want opposite things when Redis is away.
 * With ioredis defaults a command sent while Redis was down waited 73 s before failing (measured,
 * docs/RELIABILITY.md): fine for a cron job, far past Slack's 3 s ack for a request handler.
 *
 * Both keep ioredis's re-send of a command whose reply was lost in a disconnect: the write scripts
 * check an idempotency key or a compare-and-set, so a re-sent write is answered, not applied twice.
 * Neither ever logs the URL: it may carry a password.
 */

export interface FailFastOptions {
  /** REDIS_REQUEST_TIMEOUT_MS: how long a handler waits for a connection or a reply. */
  requestTimeoutMs: number;
  logger?: Logger;
}

/** For Slack and HTTP handlers: no offline queue, one retry, a short timeout → StoreUnavailable fast. */
export function createFailFastRedis(url: string, options: FailFastOptions): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: options.requestTimeoutMs,
    commandTimeout: options.requestTimeoutMs,
    // Keep trying in the background, often enough that handlers work again within a second of Redis returning.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    connectionName: 'improvement-loop:request',
  } satisfies RedisOptions);
  return reportErrors(redis, 'request', options.logger);
}

/**
 * Resolves once the client is connected. Without an offline queue a fail-fast client refuses
 * commands until its first connection is up, so the composition root waits here at start.
 */
export async function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new StoreUnavailable(`Redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    function onReady(): void {
      clearTimeout(timer);
      resolve();
    }
    redis.once('ready', onReady);
  });
}

/** For cycles, schedules and execution: queues commands and waits out short outages. */
export function createPatientRedis(url: string, options: { logger?: Logger } = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 20,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    connectionName: 'improvement-loop:jobs',
  } satisfies RedisOptions);
  return reportErrors(redis, 'jobs', options.logger);
}

/**
 * ioredis emits 'error' on every failed reconnect; without a listener it prints them all to the
 * console. One warning per outage is enough, and it names the client, not the URL.
 */
function reportErrors(redis: Redis, client: string, logger?: Logger): Redis {
  let reported = false;
  redis.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    logger?.warn(
      { client, code: (error as NodeJS.ErrnoException).code, err: { message: error.message } },
      'Redis connection lost; retrying',
    );
  });
  redis.on('ready', () => {
    if (reported) logger?.info({ client }, 'Redis connection back');
    reported = false;
  });
  return redis;
}

/** Replies Redis gives while it cannot serve: loading a dataset, busy in a script, failing over. */
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|MISCONF)\b/;

/**
 * Maps what ioredis throws to the core's errors, in one place: connection loss, timeouts and
 * "not now" replies become StoreUnavailable (the caller may retry later); any other Redis reply, and
 * any error of our own, is a bug or bad data and keeps its own words.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  // Unreadable stored JSON or a bug in this adapter: not something a retry later would fix.
  if (error instanceof SyntaxError || error instanceof TypeError || error instanceof RangeError) return error;
  if (error instanceof Error && error.name === 'ReplyError' && !UNAVAILABLE_REPLY.test(error.message)) return error;
  const reason = errorMessage(error);
  return new StoreUnavailable(`Redis is unavailable: ${reason}`, error);
}
