import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RepoLease, RepoLock } from './repo-lock.ts';
import { RELEASE_IF_HOLDER, RENEW_IF_HOLDER } from '../../locks/holder-only.ts';

/**
 * The repository lease in Redis: `SET NX PX` with a random token; renew and release are Lua scripts
 * that act only when the key still holds the caller's token, so a holder whose lease expired and
 * was taken over can neither extend nor delete the new holder's lease.
 */

type Script = (key: string, ...args: (string | number)[]) => Promise<number>;

export interface RedisRepoLockOptions {
  keyPrefix: string;
  ttlMs: number;
}

export function createRedisRepoLock(redis: Redis, options: RedisRepoLockOptions): RepoLock {
  const target = redis as unknown as Record<string, Script | undefined>;
  if (!target.executorRenewRepoLease) redis.defineCommand('executorRenewRepoLease', { lua: RENEW_IF_HOLDER, numberOfKeys: 1 });
  if (!target.executorReleaseRepoLease) redis.defineCommand('executorReleaseRepoLease', { lua: RELEASE_IF_HOLDER, numberOfKeys: 1 });
  const renewScript = target.executorRenewRepoLease!.bind(redis);
  const releaseScript = target.executorReleaseRepoLease!.bind(redis);

  return {
    async tryAcquire(key) {
      const lockKey = `${options.keyPrefix}executor:repo-lock:${key}`;
      const token = `${process.pid}:${randomBytes(12).toString('hex')}`;
      const taken = await redis.set(lockKey, token, 'PX', options.ttlMs, 'NX');
      if (taken !== 'OK') return null;
      return {
        token,
        renew: async () => Number(await renewScript(lockKey, token, options.ttlMs)) === 1,
        release: async () => {
          await releaseScript(lockKey, token);
        },
      } satisfies RepoLease;
    },
  };
}
