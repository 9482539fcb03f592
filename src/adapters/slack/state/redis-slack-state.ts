import type { Redis } from 'ioredis';
import { toStoreError } from '../../store/redis/client.ts';
import type { ChannelSubscription, MessageRef, SlackStateStore } from './slack-state.ts';

export interface RedisSlackStateOptions {
  /** A fail-fast client (createFailFastRedis): handlers must not wait out an outage. */
  redis: Redis;
  keyPrefix: string;
  /** How long a proposal's message refs are kept; longer than any proposal stays open. */
  refTtlDays?: number;
}

/** Slack state in Redis, beside the proposals; errors become StoreUnavailable like the store's. */
export function createRedisSlackState(options: RedisSlackStateOptions): SlackStateStore {
  const { redis } = options;
  const key = (...parts: string[]) => `${options.keyPrefix}slack:${parts.join(':')}`;
  const refTtl = (options.refTtlDays ?? 120) * 86_400;

  async function guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  return {
    messageRefs: (proposalId) =>
      guard(async () => {
        const refs = await redis.hgetall(key('msg', proposalId));
        return Object.entries(refs).map(([channel, ts]): MessageRef => ({ channel, ts }));
      }),
    addMessageRef: (proposalId, ref) =>
      guard(async () => {
        await redis
          .multi()
          .hset(key('msg', proposalId), ref.channel, ref.ts)
          .expire(key('msg', proposalId), refTtl)
          // The reverse, for replies in the message's thread.
          .set(key('at', ref.channel, ref.ts), proposalId, 'EX', refTtl)
          .exec();
      }),
    proposalAt: (ref) => guard(() => redis.get(key('at', ref.channel, ref.ts))),
    subscriptions: () =>
      guard(async () => Object.values(await redis.hgetall(key('subscriptions'))).map((json) => JSON.parse(json) as ChannelSubscription)),
    subscribe: (subscription) =>
      guard(async () => {
        await redis.hset(key('subscriptions'), subscription.channel, JSON.stringify(subscription));
      }),
    unsubscribe: (channel) => guard(async () => (await redis.hdel(key('subscriptions'), channel)) > 0),
    digestMessage: (channel, day) => guard(() => redis.get(key('digest', channel, day))),
    setDigestMessage: (channel, day, ts) =>
      guard(async () => {
        await redis.set(key('digest', channel, day), ts, 'EX', 3 * 86_400);
      }),
    claimOnce: (claim, ttlSeconds) => guard(async () => (await redis.set(key('claim', claim), '1', 'EX', ttlSeconds, 'NX')) === 'OK'),
  };
}
