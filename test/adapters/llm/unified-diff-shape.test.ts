import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unifiedDiffProblem } from '../../../src/adapters/llm/anthropic/unified-diff-shape.ts';
import { VALID_PATCH } from './writer-harness.ts';

/** Diffs made by git itself in a scratch repository: what a correct patch looks like on the wire. */
describe('the unified-diff shape check', () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: repo,
      encoding: 'utf8',
    });

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'il-diff-'));
    git('init', '-q');
    mkdirSync(path.join(repo, 'src'));
    const lines = Array.from({ length: 40 }, (_, i) => `export const v${i} = ${i};`);
    writeFileSync(path.join(repo, 'src/values.ts'), `${lines.join('\n')}\n`);
    writeFileSync(path.join(repo, 'src/tail.ts'), 'export const last = 1;');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    lines[2] = 'export const v2 = 200;';
    lines.splice(30, 1, 'export const v30 = 300;', 'export const v30b = 301;');
    writeFileSync(path.join(repo, 'src/values.ts'), `${lines.join('\n')}\n`);
    writeFileSync(path.join(repo, 'src/tail.ts'), 'export const last = 2;');
    writeFileSync(path.join(repo, 'src/new.ts'), 'export const added = true;\n');
    git('add', '.');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('accepts what git diff writes: several hunks, a file without a final newline, a new file', () => {
    const diff = git('diff', '--cached');
    expect(diff).toContain('\\ No newline at end of file');
    expect(diff).toContain('--- /dev/null');
    expect(unifiedDiffProblem(diff)).toBeNull();
    expect(unifiedDiffProblem(diff, ['src/values.ts', 'src/tail.ts', 'src/new.ts'])).toBeNull();
    expect(unifiedDiffProblem(VALID_PATCH, ['src/pricing/discount.ts'])).toBeNull();
  });

  it('names the hunk whose line counts do not match its body', () => {
    const diff = git('diff', '--cached', '--', 'src/values.ts').replace(/@@ -28,7 \+28,8 @@/, '@@ -28,7 +28,9 @@');
    expect(unifiedDiffProblem(diff)).toBe('file 1 hunk 2: header promises 7 old and 9 new lines, the body has 7 and 8');
  });

  it('refuses a patch that touches a file the finding does not name', () => {
    const diff = git('diff', '--cached');
    // git orders files by path: new.ts, tail.ts, values.ts.
    expect(unifiedDiffProblem(diff, ['src/new.ts', 'src/values.ts'])).toMatch(
      /^file 2 is not one of the files listed in the finding's subject/,
    );
  });

  it('refuses prose, a missing +++ line, a file without hunks, a stray line and a binary patch', () => {
    expect(unifiedDiffProblem('Change the loop to use a map.')).toBe('line 1 is outside any file or hunk: expected "--- a/<path>"');
    expect(unifiedDiffProblem('--- a/x.ts\n@@ -1 +1 @@\n-a\n+b\n')).toBe(
      'line 2 must be "+++ b/<path>", following the "--- a/<path>" line',
    );
    expect(unifiedDiffProblem('--- a/x.ts\n+++ b/x.ts\n')).toBe('file 1 has no hunk ("@@ -start,count +start,count @@")');
    expect(unifiedDiffProblem('--- a/x.ts\n+++ b/x.ts\n@@ -1,2 +1,2 @@\n a\n*b\n')).toBe(
      'file 1 hunk 1: line 5 starts with neither " ", "+", "-" nor "\\"',
    );
    expect(unifiedDiffProblem('diff --git a/x.png b/x.png\nGIT binary patch\nliteral 5\n')).toBe('binary patches are not accepted');
    expect(unifiedDiffProblem('')).toBe('no file header ("--- a/<path>" then "+++ b/<path>") was found');
  });
});
