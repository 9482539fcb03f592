import { describe, expect, it } from 'vitest';
import { withoutPassword } from '../../src/cli/store-location.ts';
import { makeDataDir, runBinary } from './binary.ts';

describe('the store an empty list names', () => {
  it('never shows a Redis password', () => {
    expect(withoutPassword('redis://:s3cret@cache.internal:6380/2')).toBe('redis://:***@cache.internal:6380/2');
    expect(withoutPassword('rediss://default:s3cret@cache.internal:6380')).toBe('rediss://default:***@cache.internal:6380');
    // Some providers put the token where the user goes.
    expect(withoutPassword('redis://s3cret@cache.internal')).toBe('redis://***@cache.internal');
    expect(withoutPassword('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(withoutPassword('not a url s3cret')).not.toContain('s3cret');
  });

  it('is the Redis this command opened, with its key prefix, and how to use the server’s', async () => {
    const dirs = await makeDataDir();
    try {
      const prefix = `cli-store-location-${process.pid}:`;
      const run = await runBinary(['proposals', 'list'], {
        dataDir: dirs.dataDir,
        cwd: dirs.cwd,
        env: { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: prefix },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe(`No proposals in Redis at redis://127.0.0.1:6379 (key prefix "${prefix}").\n`);
      expect(run.stderr).toMatch(/DATA_DIR=<its data directory>.*REDIS_URL=<its Redis>/);
    } finally {
      await dirs.remove();
    }
  });
});
