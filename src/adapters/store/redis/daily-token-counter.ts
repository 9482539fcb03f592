import type { Redis } from 'ioredis';
import type { DailyTokenCounter } from '../../../assistant/token-budget.ts';
import { toStoreError } from './client.ts';

/** The assistant's daily token counts in Redis, shared by every replica; a key lives two days. */
export function createRedisTokenCounter(options: { redis: Redis; keyPrefix: string }): DailyTokenCounter {
  const key = (k: string) => `${options.keyPrefix}assistant:tokens:${k}`;
  return {
    async used(k) {
      try {
        return Number((await options.redis.get(key(k))) ?? 0);
      } catch (error) {
        throw toStoreError(error);
      }
    },
    async add(k, tokens) {
      try {
        const [[, total]] = (await options.redis
          .multi()
          .incrby(key(k), Math.round(tokens))
          .expire(key(k), 2 * 86_400)
          .exec()) as [[Error | null, number]];
        return Number(total);
      } catch (error) {
        throw toStoreError(error);
      }
    },
  };
}
