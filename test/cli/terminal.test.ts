/**
 * What a person at a terminal sees. A child process has no terminal, so these run the CLI in-process
 * with streams that say they are one; the store and everything behind it are real.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import type { OutputStream } from '../../src/cli/context.ts';
import { ANSI_ESCAPE } from './binary.ts';

function stream(isTTY: boolean): OutputStream & { text(): string } {
  const chunks: string[] = [];
  return { isTTY, columns: 100, write: (chunk: string) => chunks.push(chunk) > 0, text: () => chunks.join('') };
}

describe('the CLI at a terminal', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'improvement-loop-tty-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  async function cli(args: string[], options: { tty: boolean; env?: Record<string, string> }) {
    const stdout = stream(options.tty);
    const stderr = stream(options.tty);
    const env = { DATA_DIR: path.join(root, 'data'), LOG_LEVEL: 'silent', ...options.env };
    const code = await runCli(['node', 'improvement-loop', ...args], { stdout, stderr, env });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('shows progress on stderr and colors the summary on a terminal', async () => {
    const run = await cli(['cycle', '--type=daily', '--dry-run'], { tty: true });
    expect(run.code).toBe(0);
    // A first line at once, then one per step as it finishes: the built-in daily analyzers, in order.
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Running the daily cycle (dry run)…');
    expect(lines[1]).toMatch(/telemetry ready in \d+\.\d s/);
    expect(
      lines.slice(2).every((line) => /^ {2}\[\d\/\d\] \S+ +(\d+ findings?|\S*failed)|filing/.test(line)),
      run.stderr,
    ).toBe(true);
    expect(lines.length).toBeGreaterThan(2);
    expect(run.stdout).toMatch(ANSI_ESCAPE);
  });

  it('keeps the progress but drops the color when NO_COLOR is set', async () => {
    const run = await cli(['cycle', '--type=daily', '--dry-run'], { tty: true, env: { NO_COLOR: '1' } });
    expect(run.stderr).toMatch(/Running the daily cycle/);
    expect(run.stdout).not.toMatch(ANSI_ESCAPE);
  });

  it('prints neither progress nor color into a pipe', async () => {
    const run = await cli(['cycle', '--type=daily', '--dry-run'], { tty: false });
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toMatch(ANSI_ESCAPE);
  });

  it('prints only the JSON document with --json, even on a terminal', async () => {
    const run = await cli(['cycle', '--type=daily', '--dry-run', '--json'], { tty: true, env: { LOG_LEVEL: 'info' } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ type: 'daily', dryRun: true });
  });

  it('refuses an --as-of date that is not on the calendar', async () => {
    const run = await cli(['cycle', '--as-of', '2024-02-31'], { tty: false });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--as-of/);
  });

  it('refuses an --as-of time without a zone, which would mean something different on every machine', async () => {
    const run = await cli(['cycle', '--as-of', '2024-05-01T06:00:00'], { tty: false });
    expect(run.code).toBe(2);
  });
});
