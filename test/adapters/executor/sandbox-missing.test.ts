import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 14: where no isolation layer exists, tests are not run as the service's own user. The sandbox
 * runs in a child process whose PATH holds every tool it uses except bwrap.
 */
let base: string;
let bin: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'il-no-bwrap-'));
  bin = path.join(base, 'bin');
  await mkdir(bin);
  await mkdir(path.join(base, 'worktree'));
  await mkdir(path.join(base, 'home'));
  for (const tool of ['sh', 'echo', 'true', 'env', 'setpriv', 'prlimit', 'unshare', 'setsid']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (found.startsWith('/')) await symlink(found, path.join(bin, tool));
  }
});
afterAll(() => rm(base, { recursive: true, force: true }));

function runWithoutBwrap(allow: boolean): Record<string, unknown> {
  const fixture = fileURLToPath(new URL('./fixtures/sandbox-without-bwrap.ts', import.meta.url));
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fixture, path.join(base, 'worktree'), path.join(base, 'home'), allow ? 'allow' : 'refuse'],
    {
      env: { ...process.env, PATH: bin },
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe('a machine without bubblewrap', () => {
  it('refuses to run the tests, naming the missing tool and the setting that accepts the risk', () => {
    const outcome = runWithoutBwrap(false);
    expect(outcome).toMatchObject({ ran: false, name: 'SandboxUnavailable' });
    expect(outcome.message).toMatch(/bubblewrap \(bwrap\) is unavailable/);
    expect(outcome.message).toMatch(/TEST_ALLOW_UNSANDBOXED=true/);
  });

  it('runs them without the mount namespace only when TEST_ALLOW_UNSANDBOXED accepts the risk', () => {
    const outcome = runWithoutBwrap(true);
    expect(outcome).toMatchObject({ ran: true, exitCode: 0 });
    expect(outcome.output).toContain('ran-the-tests');
    expect(outcome.layers).not.toContain('mount-namespace');
  });
});
