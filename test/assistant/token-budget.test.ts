import { describe, expect, it } from 'vitest';
import { createRedisTokenCounter } from '../../src/adapters/store/redis/daily-token-counter.ts';
import { createAssistantBudget, createMemoryTokenCounter, type DailyTokenCounter } from '../../src/assistant/token-budget.ts';
import { probeRedis, useTestRedis } from '../helpers/redis.ts';

const redisAvailable = await probeRedis();

function contract(name: string, make: () => DailyTokenCounter, skip = false) {
  describe.skipIf(skip)(`the daily budget over the ${name} counter`, () => {
    it('refuses a person past their day’s tokens, then the whole workspace past its own, and starts again the next day', async () => {
      let now = new Date('2026-11-26T10:00:00Z');
      const budget = createAssistantBudget({ perUser: 100, perWorkspace: 250, counter: make(), now: () => now });
      expect(await budget.check('U1', 'T1')).toEqual({ ok: true });
      await budget.spend('U1', 'T1', 120);
      expect(await budget.check('U1', 'T1')).toEqual({ ok: false, which: 'user', limit: 100, resetsAt: '2026-11-27T00:00:00.000Z' });
      expect(await budget.check('U2', 'T1')).toEqual({ ok: true });
      await budget.spend('U2', 'T1', 90);
      await budget.spend('U3', 'T1', 50);
      expect(await budget.check('U4', 'T1')).toMatchObject({ ok: false, which: 'workspace', limit: 250 });
      expect(await budget.check('U1', 'T2')).toEqual({ ok: true });
      now = new Date('2026-11-27T00:00:01Z');
      expect(await budget.check('U1', 'T1')).toEqual({ ok: true });
    });

    it('has no limit where a limit is 0', async () => {
      const budget = createAssistantBudget({ perUser: 0, perWorkspace: 0, counter: make() });
      await budget.spend('U1', 'T1', 1e9);
      expect(await budget.check('U1', 'T1')).toEqual({ ok: true });
    });
  });
}

contract('in-process', () => createMemoryTokenCounter());
const shared = useTestRedis('assistant-tokens');
let run = 0;
contract('Redis', () => createRedisTokenCounter({ redis: shared.redis, keyPrefix: `${shared.keyPrefix}${(run += 1)}:` }), !redisAvailable);

describe.skipIf(!redisAvailable)('the Redis token counter', () => {
  it('adds concurrent spending exactly and lets a day’s key expire', async () => {
    const counter = createRedisTokenCounter({ redis: shared.redis, keyPrefix: shared.keyPrefix });
    await Promise.all(Array.from({ length: 20 }, () => counter.add('user:T1:U1:2026-11-26', 7)));
    expect(await counter.used('user:T1:U1:2026-11-26')).toBe(140);
    const ttl = await shared.redis.ttl(`${shared.keyPrefix}assistant:tokens:user:T1:U1:2026-11-26`);
    expect(ttl).toBeGreaterThan(86_400);
    expect(ttl).toBeLessThanOrEqual(2 * 86_400);
  });
});
