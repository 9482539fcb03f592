import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import type { Analyzer } from '../../src/ports/analyzer.ts';

const finds: Analyzer = {
  name: 'performance',
  cycles: ['daily'],
  analyze: async () => [],
};
const fails: Analyzer = {
  name: 'errors',
  cycles: ['daily'],
  analyze: async () => {
    throw new Error('warehouse unreachable');
  },
};
/** A bug, not a refusal: the cycle cannot even tell which cycles this analyzer belongs to. */
const broken = {
  name: 'broken',
  get cycles(): never {
    throw new TypeError('cycles is not readable');
  },
  analyze: async () => [],
} as unknown as Analyzer;

/** A stream that says it is a terminal, as process.stderr does when a person runs the command. */
function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, write: (c: string) => chunks.push(c) > 0, text: () => chunks.join('') };
}

describe('a cycle run by a person at a terminal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'il-cycle-progress-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cycle = (args: string[], isTTY: boolean, analyzers: Analyzer[]) => {
    const [stdout, stderr] = [stream(false), stream(isTTY)];
    const code = runCli(['node', 'improvement-loop', 'cycle', '--type=daily', ...args], {
      stdout,
      stderr,
      // NO_COLOR: the lines are compared as text. No executor: its warnings about this machine
      // (running as root) are not what these tests read.
      env: { DATA_DIR: dir, NO_COLOR: '1', EXECUTION_ENABLED: 'false' },
      appExtras: { analyzers, builtInAnalyzers: false },
    });
    return code.then((exit) => ({ exit, stdout: stdout.text(), stderr: stderr.text() }));
  };

  it('shows one line per analyzer as it finishes, on stderr', async () => {
    const run = await cycle([], true, [finds, fails]);
    expect(run.exit).toBe(1);
    expect(run.stderr).toMatch(/^Running the daily cycle…$/m);
    expect(run.stderr).toMatch(/^ {2}\[1\/2\] performance +0 findings \(\d+\.\d s\)$/m);
    expect(run.stderr).toMatch(/^ {2}\[2\/2\] errors +failed: warehouse unreachable \(\d+\.\d s\)$/m);
    // The analyzer's failure is logged as one human line, without its stack.
    expect(run.stderr).toMatch(/^error: analyzer failed: warehouse unreachable \(cycleId=daily-\S+, analyzer=errors\)$/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).not.toMatch(/\[1\/2\]/);
  });

  it('shows no progress into a pipe, nor with --json', async () => {
    const [piped, json] = await Promise.all([cycle([], false, [finds]), cycle(['--json'], true, [finds])]);
    expect(piped.stderr).toBe('');
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ analyzers: [{ name: 'performance', findings: 0 }] });
  });

  it('prints an unexpected error as one line and a hint, and its stack only with --verbose', async () => {
    const [quiet, verbose] = [await cycle([], false, [broken]), await cycle(['--verbose'], false, [broken])];
    expect(quiet.exit).toBe(1);
    expect(quiet.stderr).toBe(
      'error: cycles is not readable\n(this looks like a bug; run again with --verbose to see where it happened)\n',
    );
    expect(verbose.exit).toBe(1);
    expect(verbose.stderr).toMatch(/^error: cycles is not readable\nTypeError: cycles is not readable\n\s+at /);
  });
});
