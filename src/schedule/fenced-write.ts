import type { Redis } from 'ioredis';
import { DomainError } from '../domain/errors.ts';
import { scheduleCommands, scheduleKeys } from './redis-slot-lock.ts';

/**
 * The check that makes a paused holder's late write safe. A holder stopped past its TTL (GC pause,
 * SIGSTOP, a frozen VM) still believes it holds the lease when it wakes; measured: it overwrote the
 * new holder's result. So a write carries the holder's fence and is refused once a newer claim of
 * the job exists. Note that any newer claim counts, including the next slot's: the newer run's
 * result supersedes an older run's.
 */
export class StaleFence extends DomainError {
  override name = 'StaleFence';
  constructor(
    readonly job: string,
    readonly fence: number,
    readonly currentFence: number | null,
  ) {
    super(`Write refused for job "${job}": fence ${fence} is stale (the job was claimed again, fence ${currentFence ?? 'unknown'})`);
  }
}

export interface FenceGuard {
  /** True while no newer claim of the job happened. A check alone leaves a gap before the write. */
  check(job: string, fence: number): Promise<boolean>;
  /** Throws StaleFence unless the fence is current. */
  assertCurrent(job: string, fence: number): Promise<void>;
  /** Checks the fence and writes `value` to `key` in one script: no gap between check and write. */
  setIfCurrent(job: string, fence: number, key: string, value: string): Promise<void>;
}

// KEYS: fence. Reply: the current fence or nil (the caller compares).
const READ_FENCE = `return redis.call('GET', KEYS[1])`;
// KEYS: fence, target. ARGV: fence, value. Reply: 1 written, or the current fence as a string.
const SET_IF_CURRENT = `
local current = redis.call('GET', KEYS[1])
if current ~= ARGV[1] then return current or '' end
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;

export function createRedisFenceGuard(redis: Redis, options: { keyPrefix: string }): FenceGuard {
  const keys = scheduleKeys(options.keyPrefix);
  const commands = scheduleCommands(redis, {
    scheduleReadFence: { lua: READ_FENCE, numberOfKeys: 1 },
    scheduleSetIfFenceCurrent: { lua: SET_IF_CURRENT, numberOfKeys: 2 },
  });
  const current = async (job: string) => {
    const value = (await commands.scheduleReadFence(keys.fence(job))) as unknown as string | null;
    return value === null ? null : Number(value);
  };
  return {
    async check(job, fence) {
      return (await current(job)) === fence;
    },
    async assertCurrent(job, fence) {
      const now = await current(job);
      if (now !== fence) throw new StaleFence(job, fence, now);
    },
    async setIfCurrent(job, fence, key, value) {
      const reply = (await commands.scheduleSetIfFenceCurrent(keys.fence(job), key, String(fence), value)) as unknown;
      if (reply !== 1) throw new StaleFence(job, fence, reply === '' || reply === null ? null : Number(reply));
    },
  };
}
