import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger } from '../../../src/logging.ts';
import { startServer, type RunningServer } from '../../../src/main.ts';
import { probeRedis, startRedisServer, type TestRedisServer } from '../../helpers/redis.ts';

const TOKEN = 'jobs-outage-token-2b7e91c4d05a6f38';
const available = await probeRedis();

/** Issue 14 H: the job records are read through the fail-fast client, as every other route's data is. */
describe.skipIf(!available)('GET /api/improvements/jobs while Redis does not answer', () => {
  let redisServer: TestRedisServer;
  let admin: Redis;
  let server: RunningServer;
  let dir: string;

  beforeAll(async () => {
    redisServer = await startRedisServer({ appendonly: false });
    admin = new Redis(redisServer.url, { lazyConnect: true });
    await admin.connect();
    dir = await mkdtemp(path.join(tmpdir(), 'il-jobs-outage-'));
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dir,
      API_TOKENS: TOKEN,
      REDIS_URL: redisServer.url,
      REDIS_REQUEST_TIMEOUT_MS: '500',
      SAMPLE_METRIC_ROWS: '2000',
      SAMPLE_INTERACTIONS: '1000',
      EXECUTION_ENABLED: 'false',
    });
    server = await startServer(config, silentLogger(), () => {});
  }, 60_000);
  afterAll(async () => {
    admin?.disconnect();
    await server?.close();
    await redisServer?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const jobs = () =>
    fetch(`${server.url}/api/improvements/jobs`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(10_000) });

  it('answers 200 with the jobs while Redis answers', async () => {
    const res = await jobs();
    expect(res.status).toBe(200);
    expect((await res.json()).jobs.length).toBeGreaterThan(0);
  });

  it('answers 503 with Retry-After, instead of waiting, while Redis is frozen', async () => {
    // Every other client's commands wait while paused: the patient client would wait the pause out.
    const pauseMs = 6000;
    await admin.call('CLIENT', 'PAUSE', String(pauseMs), 'ALL');
    const pausedAt = Date.now();
    try {
      const res = await jobs();
      // Answered while Redis was still frozen: the patient client would have waited the pause out.
      expect(Date.now() - pausedAt).toBeLessThan(pauseMs);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toMatchObject({ error: 'store_unavailable' });
    } finally {
      // UNPAUSE waits out the pause itself on Redis 7.0, so let the pause end on its own.
      await new Promise((r) => setTimeout(r, Math.max(0, pausedAt + pauseMs + 100 - Date.now())));
    }
  });

  it('answers 503 while Redis is down, and 200 again once it is back, without a restart', async () => {
    await redisServer.stop();
    const down = await jobs();
    expect(down.status).toBe(503);
    await redisServer.restart();
    let again = 0;
    for (let i = 0; i < 50 && again !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      again = (await jobs()).status;
    }
    expect(again).toBe(200);
  });
});
