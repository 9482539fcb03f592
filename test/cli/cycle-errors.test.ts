import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import type { Analyzer } from '../../src/ports/analyzer.ts';

/** An analyzer whose warehouse does not answer: the cycle must report it, not crash. */
const unreachable: Analyzer = {
  name: 'errors',
  cycles: ['daily'],
  analyze: async () => {
    throw new Error('warehouse unreachable');
  },
};

function capture() {
  const chunks: string[] = [];
  return { write: (c: string) => chunks.push(c) > 0, text: () => chunks.join('') };
}

describe('a cycle whose report has errors', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'il-cycle-errors-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1, lists the errors and still says where the report is', async () => {
    const stdout = capture();
    const code = await runCli(['node', 'improvement-loop', 'cycle', '--type=daily'], {
      stdout,
      stderr: capture(),
      env: { LOG_LEVEL: 'silent', DATA_DIR: dir },
      appExtras: { analyzers: [unreachable], builtInAnalyzers: false },
    });
    expect(code).toBe(1);
    expect(stdout.text()).toMatch(/1 ran, 1 failed/);
    expect(stdout.text()).toMatch(/Errors \(1\)\n  - errors: warehouse unreachable/);
    const markdown = /(\S+\.md)/.exec(stdout.text())?.[1];
    expect(markdown && existsSync(markdown)).toBe(true);
    expect(readFileSync(markdown!, 'utf8')).toContain('warehouse unreachable');
  });

  it('exits 1 with --json too, printing the report with its errors as the one document', async () => {
    const stdout = capture();
    const code = await runCli(['node', 'improvement-loop', 'cycle', '--json'], {
      stdout,
      stderr: capture(),
      env: { DATA_DIR: dir },
      appExtras: { analyzers: [unreachable], builtInAnalyzers: false },
    });
    expect(code).toBe(1);
    const document = JSON.parse(stdout.text()) as { errors: string[]; reportFiles: { json: string } };
    expect(document.errors).toEqual(['errors: warehouse unreachable']);
    expect(JSON.parse(readFileSync(document.reportFiles.json, 'utf8'))).toMatchObject({ errors: ['errors: warehouse unreachable'] });
  });
});
