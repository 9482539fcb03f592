import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeIsolation } from '../../../src/adapters/executor/sandbox/isolation.ts';
import { runSandboxed, type SandboxLimits } from '../../../src/adapters/executor/sandbox/test-sandbox.ts';

/** docs/RELIABILITY.md test 11: the test run is untrusted code. */

const LIMITS: SandboxLimits = {
  timeoutMs: 10_000,
  memoryMb: 1536,
  maxProcesses: 64,
  outputMaxBytes: 16 * 1024,
  envAllowlist: ['PATH', 'LANG'],
};
const isolation = probeIsolation();
const isRoot = process.getuid?.() === 0;
// A machine without a sandbox layer skips its test here, loudly; CI (Debian, root) has every layer, so
// there a missing one fails the test instead of skipping it.
const required = Boolean(process.env.CI);
if (!required && isolation.warnings.length)
  console.warn(`\n*** sandbox layers missing, their tests are SKIPPED: ${isolation.warnings.join('; ')} ***\n`);
const NOBODY = { uid: 65534, gid: 65534 };

let base: string;
let cwd: string;
let home: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'il-sandbox-'));
  await chmod(base, 0o755);
  cwd = path.join(base, 'tree', 'worktree');
  home = path.join(base, 'home');
  await mkdir(cwd, { recursive: true });
  await mkdir(home, { recursive: true });
});
afterAll(() => rm(base, { recursive: true, force: true }));

const sandbox = (command: string, extra: Partial<Parameters<typeof runSandboxed>[0]> = {}) =>
  runSandboxed({ command, cwd, home, limits: LIMITS, network: 'none', ...extra });

describe('the test sandbox', () => {
  it('passes only allow-listed variables: a planted secret never reaches the output', async () => {
    const result = await sandbox('env; node -e "console.log(JSON.stringify(process.env))"', {
      sourceEnv: {
        PATH: process.env.PATH,
        LANG: 'C',
        CANARY_SECRET: 'sk-canary-4f1c',
        ANTHROPIC_API_KEY: 'sk-ant-canary',
        REDIS_URL: 'redis://:canary@host',
      },
    });
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('PATH=');
    expect(result.output).not.toMatch(/canary/i);
  });

  it.runIf(required || isolation.namespaces.length > 0)(
    'gives the tests no network: a listener on 127.0.0.1 gets no connection',
    async () => {
      let accepted = 0;
      const server: Server = createServer((socket) => {
        accepted++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      try {
        const result = await sandbox(
          `node -e "require('net').connect(${port}, '127.0.0.1').on('connect', () => { console.log('CONNECTED'); process.exit(0) }).on('error', (e) => { console.log('refused', e.code); process.exit(3) })"`,
        );
        expect(result.output).toContain('refused');
        expect(result.exitCode).toBe(3);
        expect(accepted).toBe(0);
        expect(result.layers).toContain('no-network');
      } finally {
        server.close();
      }
    },
  );

  it('kills an endless loop at the timeout, with every process of the run', async () => {
    const marker = `sleep 300.${process.pid}`; // a unique command line to look for afterwards
    const started = Date.now();
    const running = sandbox(`${marker} & setsid ${marker} & node -e "for(;;){}"`, { limits: { ...LIMITS, timeoutMs: 1500 } });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(pgrep(marker).length, 'the marker finds the sleeping processes while they run').toBeGreaterThanOrEqual(2);
    const result = await running;
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500 + 2000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pgrep(marker), 'processes left behind').toEqual([]);
  });

  it.runIf(required || isolation.prlimit !== null)('stops a test that allocates past the memory limit', async () => {
    const result = await sandbox('node -e "const a = []; for (;;) a.push(Buffer.alloc(64 * 1024 * 1024, 1))"', {
      limits: { ...LIMITS, memoryMb: 1200 },
    });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).not.toBe(0);
    expect(result.layers).toContain('prlimit');
  });

  it('keeps only the tail of a 100 MB output', async () => {
    const result = await sandbox("head -c 100000000 /dev/zero | tr '\\0' 'x'; echo; echo THE-END");
    expect(result.outputBytes).toBeGreaterThan(100_000_000);
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(LIMITS.outputMaxBytes);
    expect(result.output.trimEnd().endsWith('THE-END')).toBe(true);
  });

  describe.runIf(required || (isRoot && isolation.setpriv !== null && isolation.prlimit !== null))(
    'as an unprivileged sandbox user',
    () => {
      it('cannot write outside its worktree', async () => {
        execFileSync('chown', ['-R', '65534:65534', cwd, home]);
        const outside = path.join(base, 'outside');
        const result = await sandbox('echo pwned > ../../outside; echo pwned > /etc/il-canary; echo done', { runAs: NOBODY });
        expect(result.output).toContain('done');
        await expect(stat(outside)).rejects.toThrow();
        await expect(stat('/etc/il-canary')).rejects.toThrow();
      });

      it('contains a fork bomb at the process limit and kills it at the timeout', async () => {
        await writeFile(path.join(cwd, 'bomb.sh'), 'bomb() { bomb | bomb & }; bomb\n');
        // The loop keeps the run alive even when the bomb leaves no process for `sleep` (a plain `sleep 60`
        // could fail to fork and end the run early), so only the timeout ends it.
        const result = await sandbox('sh bomb.sh; while :; do sleep 1 2>/dev/null; done', {
          runAs: NOBODY,
          limits: { ...LIMITS, maxProcesses: 32, timeoutMs: 2000 },
        });
        expect(result.timedOut).toBe(true);
        expect(result.layers).toContain('unprivileged-user');
        expect(result.output).toContain('Cannot fork'); // the process limit bit, not only the timeout
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(pgrep('bomb.sh')).toEqual([]);
      });
    },
  );
});

function pgrep(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
