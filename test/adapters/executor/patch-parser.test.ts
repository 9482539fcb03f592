import { describe, expect, it } from 'vitest';
import { applyHunks } from '../../../src/adapters/executor/rails/change-rails.ts';
import { matchesProtected } from '../../../src/adapters/executor/rails/path-rules.ts';
import { parsePatch, unquote } from '../../../src/adapters/executor/rails/patch-parser.ts';

describe('the patch parser', () => {
  it('reads names with spaces from an unquoted diff --git header', () => {
    const parsed = parsePatch('diff --git a/docs/my notes.md b/docs/my notes.md\nold mode 100644\nnew mode 100755\n');
    expect(parsed.files[0]).toMatchObject({
      oldPath: 'docs/my notes.md',
      newPath: 'docs/my notes.md',
      oldMode: '100644',
      newMode: '100755',
    });
  });

  it("decodes git's C-style quoting to UTF-8", () => {
    expect(unquote('"a/caf\\303\\251 \\"x\\"\\t.md"')).toBe('a/café "x"\t.md');
    expect(unquote('"a/bad\\q"')).toBeNull();
  });

  it('reads a rename with both names and counts changed lines', () => {
    const parsed = parsePatch(
      'diff --git a/old.js b/new.js\nsimilarity index 90%\nrename from old.js\nrename to new.js\n--- a/old.js\n+++ b/new.js\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.files[0]).toMatchObject({ kind: 'rename', oldPath: 'old.js', newPath: 'new.js', added: 1, removed: 1 });
  });

  it('treats a header-looking line inside a hunk as content, as git apply does', () => {
    const parsed = parsePatch(
      'diff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n@@ -1 +1,2 @@\n x\n+diff --git a/.github/ci.yml b/.github/ci.yml\n',
    );
    expect(parsed.files).toHaveLength(1);
    expect(parsed.files[0]?.addedLines).toEqual(['diff --git a/.github/ci.yml b/.github/ci.yml']);
  });

  it('flags a hunk cut short by the end of the patch', () => {
    expect(parsePatch('--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n').problems).toEqual([expect.stringContaining('cut short')]);
  });

  it('reads a traditional header whose timestamp follows the name after a space, as git does', () => {
    const parsed = parsePatch(
      '--- a/package.json 2026-01-01 00:00:00 +0000\n+++ b/package.json 2026-01-01 00:00:00.123456789 +0000\n@@ -1 +1 @@\n-1\n+2\n--- a/my notes.md\tThu Jan  1 00:00:00 2026\n+++ b/my notes.md 2026-01-01 00:00:00\n@@ -1 +1 @@\n-1\n+2\n',
    );
    expect(parsed.files.map((f) => [f.oldPath, f.newPath])).toEqual([
      ['package.json', 'package.json'],
      ['my notes.md', 'my notes.md'],
    ]);
  });

  it('reads rename old/new as git reads rename from/to', () => {
    const parsed = parsePatch(
      'diff --git a/src/add.js b/src/add.js\nsimilarity index 100%\nrename old src/add.js\nrename new .github/workflows/add.yml\n',
    );
    expect(parsed.files[0]).toMatchObject({ kind: 'rename', oldPath: 'src/add.js', newPath: '.github/workflows/add.yml' });
  });

  it('reads several files of a traditional unified diff', () => {
    const parsed = parsePatch(
      '--- a/one.js\t2026-01-01\n+++ b/one.js\t2026-01-02\n@@ -1 +1 @@\n-1\n+2\n--- /dev/null\n+++ b/two.js\n@@ -0,0 +1 @@\n+2\n',
    );
    expect(parsed.files.map((f) => [f.kind, f.oldPath, f.newPath])).toEqual([
      ['modify', 'one.js', 'one.js'],
      ['add', null, 'two.js'],
    ]);
  });
});

describe('protected-path globs', () => {
  it.each([
    ['.github/workflows/ci.yml', '.github/', true],
    ['packages/a/.github/x.yml', '.github/', true],
    ['src/github/x.js', '.github/', false],
    ['.env', '.env*', true],
    ['config/.env.local', '.env*', true],
    ['src/env.js', '.env*', false],
    ['packages/a/yarn.lock', 'yarn.lock', true],
    ['deploy/prod/values.yaml', 'deploy/prod/**', true],
    ['deploy/staging/values.yaml', 'deploy/prod/**', false],
  ])('%s against %s → %s', (file, glob, expected) => {
    expect(matchesProtected(file, glob)).toBe(expected);
  });
});

describe('replaying hunks', () => {
  it('applies exact hunks and refuses a context mismatch', () => {
    const hunks = parsePatch('--- a/f\n+++ b/f\n@@ -2,2 +2,2 @@\n b\n-c\n+C\n').files[0]!.hunks;
    expect(applyHunks('a\nb\nc\nd\n', hunks)).toBe('a\nb\nC\nd\n');
    expect(applyHunks('a\nB\nc\nd\n', hunks)).toBeNull();
  });
});
