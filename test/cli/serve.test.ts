import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, makeDataDir } from './binary.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('improvement-loop serve (npm start)', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  beforeAll(async () => {
    dirs = await makeDataDir();
  });
  afterAll(() => dirs?.remove());

  it('prints the mode of every part, answers on its port, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve'], {
      cwd: dirs.cwd,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dirs.dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        // The first start writes the demo repository and the sample telemetry: seconds when idle, far more under load.
        const fail = (why: string) => reject(new Error(`${why}; stdout so far:\n${stdout}\nstderr:\n${stderr}`));
        const timer = setTimeout(() => fail('no "listening" line'), 90_000);
        void exited.then((code) => (clearTimeout(timer), fail(`exited with ${code} before listening`)));
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('listening on')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect(stdout).toMatch(/^store +embedded \(SQLite at .*store\.sqlite\)$/m);
      expect(stdout).toContain(`listening on http://127.0.0.1:${port}`);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 120_000);
});
