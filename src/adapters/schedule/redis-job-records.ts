import type { Redis } from 'ioredis';
import type { JobRecords } from '../../schedule/job-records.ts';
import type { JobRecord } from '../../schedule/job-runner.ts';
import { scheduleCommands } from './redis-slot-lock.ts';

/** Job records in Redis: one capped list per job and a last-success key that only moves forward. */

// KEYS: list, lastSuccess. ARGV: record JSON, keep, finishedAt ms (or '' when not a success).
// The last success only moves forward: replicas finish out of order.
const ADD = `
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
if ARGV[3] ~= '' then
  local seen = tonumber(redis.call('GET', KEYS[2]) or '0')
  if tonumber(ARGV[3]) > seen then redis.call('SET', KEYS[2], ARGV[3]) end
end
return 1
`;

export function createRedisJobRecords(redis: Redis, options: { keyPrefix: string; keep?: number }): JobRecords {
  const keep = options.keep ?? 50;
  const list = (job: string) => `${options.keyPrefix}records:${job}`;
  const last = (job: string) => `${options.keyPrefix}last-success:${job}`;
  const commands = scheduleCommands(redis, { scheduleAddJobRecord: { lua: ADD, numberOfKeys: 2 } });
  return {
    async add(record) {
      const success = record.outcome === 'ran' ? String(Date.parse(record.finishedAt)) : '';
      await commands.scheduleAddJobRecord(list(record.job), last(record.job), JSON.stringify(record), keep, success);
    },
    async recent(job, limit = keep) {
      const rows = await redis.lrange(list(job), 0, Math.max(0, limit - 1));
      return rows.map((row) => JSON.parse(row) as JobRecord);
    },
    async lastSuccess(job) {
      const value = await redis.get(last(job));
      return value ? new Date(Number(value)) : null;
    },
  };
}
