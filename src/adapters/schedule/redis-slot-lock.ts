import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CLAIMED_SLOT_MEMORY_MS, slotId, type Lease, type SlotLock } from '../../schedule/slot-lock.ts';
import { RELEASE_IF_HOLDER, RENEW_IF_HOLDER } from '../locks/holder-only.ts';

/**
 * Slot claims in Redis. Each step is one Lua script, so it is atomic however many replicas race:
 * the claim checks the slot's done-marker, takes the lease (`SET NX PX`), remembers the slot and
 * takes the next fence in one call, so fences grow in the order claims succeeded.
 */

// KEYS: lock, done, fence. ARGV: token, ttlMs, doneTtlMs. Reply: the fence, -1 when claimed before, -2 when held.
const CLAIM = `
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return -2 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return redis.call('INCR', KEYS[3])
`;

const COMMANDS = {
  scheduleClaimSlot: { lua: CLAIM, numberOfKeys: 3 },
  scheduleRenewSlot: { lua: RENEW_IF_HOLDER, numberOfKeys: 1 },
  scheduleReleaseSlot: { lua: RELEASE_IF_HOLDER, numberOfKeys: 1 },
} as const;

type Command = (...args: (string | number)[]) => Promise<number>;

/** The keys of one job; shared with the fence guard, which reads the same fence counter. */
export function scheduleKeys(keyPrefix: string) {
  return {
    lock: (job: string, slot: Date) => `${keyPrefix}lock:${job}:${slotId(slot)}`,
    done: (job: string, slot: Date) => `${keyPrefix}done:${job}:${slotId(slot)}`,
    fence: (job: string) => `${keyPrefix}fence:${job}`,
  };
}

/** Defines the scripts once per client (EVALSHA, with a fallback to EVAL after a script flush). */
export function scheduleCommands<Name extends string>(
  redis: Redis,
  definitions: Record<Name, { lua: string; numberOfKeys: number }>,
): Record<Name, Command> {
  const commands = {} as Record<Name, Command>;
  for (const name of Object.keys(definitions) as Name[]) {
    const target = redis as unknown as Record<string, Command | undefined>;
    if (!target[name]) redis.defineCommand(name, definitions[name]);
    commands[name] = target[name]!.bind(redis);
  }
  return commands;
}

export interface RedisSlotLockOptions {
  keyPrefix: string;
  /** How long a claimed slot is remembered (default a day). */
  claimedSlotMemoryMs?: number;
}

export function createRedisSlotLock(redis: Redis, options: RedisSlotLockOptions): SlotLock {
  const keys = scheduleKeys(options.keyPrefix);
  const commands = scheduleCommands(redis, COMMANDS);
  const memoryMs = options.claimedSlotMemoryMs ?? CLAIMED_SLOT_MEMORY_MS;

  return {
    async claim(job, slot, ttlMs) {
      const token = randomBytes(16).toString('hex');
      const lockKey = keys.lock(job, slot);
      const fence = Number(
        await commands.scheduleClaimSlot(lockKey, keys.done(job, slot), keys.fence(job), token, Math.ceil(ttlMs), memoryMs),
      );
      if (fence < 0) return null;
      const lease: Lease = {
        job,
        slot,
        token,
        fence,
        async renew(nextTtlMs) {
          return Number(await commands.scheduleRenewSlot(lockKey, token, Math.ceil(nextTtlMs))) === 1;
        },
        async release() {
          await commands.scheduleReleaseSlot(lockKey, token);
        },
      };
      return lease;
    },
  };
}
