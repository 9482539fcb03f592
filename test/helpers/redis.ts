/**
 * Redis for tests: the shared server (REDIS_TEST_URL or 127.0.0.1:6379), test-owned servers for
 * the tests that stop or kill Redis, random key prefixes, and cleanup by prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';

export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** A connection that gives up quickly: for probes and for cleanup, never for the code under test. */
function quickClient(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
}

/**
 * True when Redis answers. When it does not, CI (or REQUIRE_REDIS=1) must fail: a green run that
 * skipped every Redis test proves nothing. On a laptop the Redis tests are skipped, loudly.
 */
export async function probeRedis(url = REDIS_TEST_URL): Promise<boolean> {
  const client = quickClient(url);
  let cause: Error | undefined; // ioredis rejects with "Connection is closed."; the 'error' event says why
  client.on('error', (error: Error) => (cause ??= error));
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    const why = (cause ?? (error as Error)).message;
    if (process.env.CI || process.env.REQUIRE_REDIS === '1') {
      throw new Error(`Redis is required (CI or REQUIRE_REDIS=1) but does not answer: ${why}`);
    }
    const bar = '!'.repeat(78);
    console.warn(
      `\n${bar}\n!! Redis does not answer (${why}).\n!! SKIPPING the Redis store tests. Start redis-server or set REDIS_TEST_URL;\n!! CI and REQUIRE_REDIS=1 fail instead of skipping.\n${bar}\n`,
    );
    return false;
  } finally {
    client.disconnect();
  }
}

/** A prefix no other test (or run) shares, so tests never see each other's keys. */
export function randomKeyPrefix(label = 'test'): string {
  return `${label}:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under the prefix (SCAN, never KEYS: the shared server may hold other data). */
export async function deleteKeysWithPrefix(prefix: string, url = REDIS_TEST_URL): Promise<number> {
  if (!prefix) throw new Error('Refusing to delete every key: the prefix is empty');
  const client = new Redis(url);
  try {
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, found] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (found.length) deleted += await client.unlink(...found);
    } while (cursor !== '0');
    return deleted;
  } finally {
    client.disconnect();
  }
}

/** A port nobody listens on right now (note: `--port 0` means "no TCP" to Redis, not "any port"). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestRedisServer {
  url: string;
  port: number;
  dir: string;
  /** Graceful SHUTDOWN (Redis writes out its AOF). */
  stop(): Promise<void>;
  /** SIGKILL: whatever is not on disk yet is lost. */
  kill9(): Promise<void>;
  /** Starts again on the same port and directory, so it loads what it had persisted. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
}

export interface TestRedisOptions {
  /** AOF on (default) or off; off with `--save ""` keeps nothing on disk: the negative control. */
  appendonly?: boolean;
  appendfsync?: 'always' | 'everysec' | 'no';
}

/** Spawns a redis-server this test owns, on a free port and a fresh directory. */
export async function startRedisServer(options: TestRedisOptions = {}): Promise<TestRedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'improvement-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--appendonly',
    options.appendonly === false ? 'no' : 'yes',
    '--appendfsync',
    options.appendfsync ?? 'everysec',
  ];
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    const spawned = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    let output = '';
    spawned.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    spawned.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (spawned.exitCode !== null) throw new Error(`redis-server exited with ${spawned.exitCode}:\n${output}`);
      const client = quickClient(url);
      client.on('error', () => {});
      try {
        await client.connect();
        // The ready check passes only once Redis has loaded its AOF.
        if ((await client.ping()) === 'PONG') return;
      } catch {
        // Not listening or still loading: try again shortly.
      } finally {
        client.disconnect();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on port ${port} did not start within 10 s:\n${output}`);
  }

  async function signal(sig: NodeJS.Signals): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(sig);
    await exited;
  }

  await start();
  return {
    url,
    port,
    dir,
    stop: () => signal('SIGTERM'),
    kill9: () => signal('SIGKILL'),
    restart: start,
    async destroy() {
      await signal('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For one describe block: a connection to the shared test Redis (it connects on first use, so a
 * skipped block opens nothing) and a key prefix of its own; both are cleaned up after the block.
 */
export function useTestRedis(label: string): { keyPrefix: string; redis: Redis } {
  const keyPrefix = randomKeyPrefix(label);
  const redis = new Redis(REDIS_TEST_URL, { lazyConnect: true });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeysWithPrefix(keyPrefix);
  });
  return { keyPrefix, redis };
}
