import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Logger } from '../logging.ts';
import type { ProposalStore } from '../ports/store.ts';
import { createEmbeddedStore } from '../adapters/store/embedded/embedded-store.ts';
import { createFileJobRecords } from '../adapters/schedule/file-job-records.ts';
import { createFileSlotLock } from '../adapters/schedule/file-slot-lock.ts';
import type { JobRecords } from '../schedule/job-records.ts';
import type { SlotLock } from '../schedule/slot-lock.ts';

/** Slot claims and job records for the scheduler: `records` for the scheduler (patient), `readRecords` for request handlers (fail-fast). */
export interface Coordination {
  lock: SlotLock;
  records: JobRecords;
  readRecords: JobRecords;
}

/** The proposal store twice over (fail-fast for requests, patient for jobs) and the scheduler's coordination beside it. */
export interface Stores {
  request: ProposalStore;
  job: ProposalStore;
  description: string;
  coordination: Coordination;
  redis?: Redis;
  /** The fail-fast client, for state that request handlers read (Slack's message refs and dedupe). */
  failFast?: Redis;
  close(): Promise<void>;
}

export async function buildStores(config: Config, logger: Logger): Promise<Stores> {
  if (!config.redis.url) {
    const store = createEmbeddedStore({ file: path.join(config.dataDir, 'store.sqlite'), retentionDays: config.retentionDays });
    // Processes sharing the embedded store share a machine: files under DATA_DIR coordinate them.
    const scheduleDir = path.join(config.dataDir, 'schedule');
    return {
      request: store,
      job: store,
      description: `embedded (SQLite at ${path.join(config.dataDir, 'store.sqlite')})`,
      coordination: (() => {
        const records = createFileJobRecords(path.join(scheduleDir, 'records'));
        return { lock: createFileSlotLock(path.join(scheduleDir, 'locks')), records, readRecords: records };
      })(),
      close: () => store.close(),
    };
  }
  // ioredis and the Redis adapters load only when REDIS_URL asks for them: the embedded store's
  // `proposals list` starts without them.
  const [{ createRedisStore }, { createFailFastRedis, createPatientRedis, whenReady }, { createRedisJobRecords }, { createRedisSlotLock }] =
    await Promise.all([
      import('../adapters/store/redis/redis-store.ts'),
      import('../adapters/store/redis/client.ts'),
      import('../adapters/schedule/redis-job-records.ts'),
      import('../adapters/schedule/redis-slot-lock.ts'),
    ]);
  const common = { keyPrefix: config.redis.keyPrefix, retentionDays: config.retentionDays, ownsConnection: true };
  const failFast = createFailFastRedis(config.redis.url, { requestTimeoutMs: config.redis.requestTimeoutMs });
  // The fail-fast client has no offline queue: wait for its first connection so the first requests
  // do not fail, but start anyway when Redis is down (handlers answer 503 and /readyz says so).
  await whenReady(failFast, 5000).catch(() =>
    logger.warn('Redis did not answer within 5 s; starting anyway, requests fail fast until it does'),
  );
  const request = createRedisStore({ ...common, redis: failFast });
  const patient = createPatientRedis(config.redis.url);
  const job = createRedisStore({ ...common, redis: patient });
  const schedulePrefix = config.redis.keys.schedule;
  return {
    request,
    job,
    redis: patient,
    failFast,
    coordination: {
      lock: createRedisSlotLock(patient, { keyPrefix: schedulePrefix }),
      records: createRedisJobRecords(patient, { keyPrefix: schedulePrefix }),
      // A handler reading job state must answer 503 within the request timeout, not wait out Redis.
      readRecords: createRedisJobRecords(failFast, { keyPrefix: schedulePrefix }),
    },
    description: `redis${config.redis.keyPrefix ? ` (key prefix "${config.redis.keyPrefix}")` : ''}`,
    async close() {
      await Promise.allSettled([request.close(), job.close()]);
    },
  };
}
