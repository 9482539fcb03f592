import type { Redis } from 'ioredis';
import type { Logger } from '../../../logging.ts';
import type { TelemetryWarehouse } from '../../../ports/warehouse.ts';
import { countOccurrences, mergeErrorCounts } from './merge-error-counts.ts';
import { readRecentErrors } from './read-recent-errors.ts';

export interface RedisErrorSourceOptions {
  /** A fail-fast client (createFailFastRedis): a cycle must not wait out a Redis outage for extra errors. */
  redis: Redis;
  /** ERROR_REDIS_KEY: a stream, or a list of JSON objects (LPUSH, newest first). */
  key: string;
  /** ERROR_REDIS_MAX_ENTRIES: entries read per window at most. */
  maxEntries?: number;
  logger?: Logger;
  /** Quit the client on close(): true when the client was made for this source alone. */
  ownsConnection?: boolean;
}

export const DEFAULT_MAX_REDIS_ERROR_ENTRIES = 50_000;

/**
 * The warehouse, with the recent errors the seed keeps in Redis added to `errorMessages`. Every
 * other method is the warehouse's. Redis is a second source, not a dependency: when it fails the
 * warehouse's rows come back as they are and a warning says why.
 */
export function withRedisErrors(warehouse: TelemetryWarehouse, options: RedisErrorSourceOptions): TelemetryWarehouse {
  const { redis, key, logger } = options;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_REDIS_ERROR_ENTRIES;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error(`maxEntries must be a positive integer, got ${maxEntries}`);
  // describe() is synchronous; the type is known once the key has been read.
  let knownType: string | null = null;

  return {
    kind: warehouse.kind,
    // Redis supplies error logs, so the bug analyzer has its table even when the files lack it.
    ...(warehouse.tables ? { tables: [...new Set([...warehouse.tables, 'logs.error_logs'])] } : {}),
    ...(warehouse.coverage ? { coverage: warehouse.coverage.bind(warehouse) } : {}),
    describe: () => `${warehouse.describe()} + recent errors from Redis ${knownType ?? 'stream or list'} ${key}`,
    endpointStats: (window) => warehouse.endpointStats(window),
    endpointSeries: (window, bucket, endpoints) => warehouse.endpointSeries(window, bucket, endpoints),
    interactionStats: (window) => warehouse.interactionStats(window),
    interactionTexts: (window, cap) => warehouse.interactionTexts(window, cap),
    // Learning's and features' grouped reads pass through: without them both would read every text.
    ...(warehouse.interactionGroups ? { interactionGroups: warehouse.interactionGroups.bind(warehouse) } : {}),
    ...(warehouse.interactionsWithMessages ? { interactionsWithMessages: warehouse.interactionsWithMessages.bind(warehouse) } : {}),
    // So do the outcome reads: without them learning and feature outcomes and the deployments table would go unmeasured.
    ...(warehouse.interactionsMatching ? { interactionsMatching: warehouse.interactionsMatching.bind(warehouse) } : {}),
    ...(warehouse.deployments ? { deployments: warehouse.deployments.bind(warehouse) } : {}),
    recordExecution: (record) => warehouse.recordExecution(record),
    recordOptimization: (record) => warehouse.recordOptimization(record),
    ping: () => warehouse.ping(),

    async errorMessages(window, cap) {
      const [fromWarehouse, recent] = await Promise.all([
        warehouse.errorMessages(window, cap),
        readRecentErrors(redis, key, window, maxEntries).catch((error: unknown) => {
          logger?.warn({ key, err: error }, 'could not read recent errors from Redis; using the warehouse’s errors alone');
          return null;
        }),
      ]);
      if (!recent) return fromWarehouse;
      if (recent.type === 'stream' || recent.type === 'list') knownType = recent.type;
      const context = { key, type: recent.type, window: { from: window.from.toISOString(), to: window.to.toISOString() } };
      if (recent.type !== 'stream' && recent.type !== 'list' && recent.type !== 'none') {
        logger?.warn(context, `Redis key ${key} is a ${recent.type}, not a stream or list; its errors are skipped`);
      }
      if (recent.malformed)
        logger?.warn(
          { ...context, malformed: recent.malformed, read: recent.read },
          `skipped ${recent.malformed} malformed recent-error entries of ${recent.read} read from Redis`,
        );
      if (recent.truncated)
        logger?.warn({ ...context, maxEntries }, `read the first ${maxEntries} recent-error entries from Redis; the window may hold more`);
      return mergeErrorCounts(fromWarehouse, countOccurrences(recent.occurrences), cap);
    },

    async close() {
      try {
        await warehouse.close();
      } finally {
        // QUIT lets replies in flight arrive; when Redis is away there is nothing to wait for.
        if (options.ownsConnection) await redis.quit().catch(() => redis.disconnect());
      }
    },
  };
}
