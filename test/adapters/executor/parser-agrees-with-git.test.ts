import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePatch } from '../../../src/adapters/executor/rails/patch-parser.ts';

/**
 * Issue 14 (B): for generated header variants (traditional headers with tab- or space-separated
 * timestamps, git headers with mode lines, rename from/to and rename old/new, new files, names
 * with spaces and quoted non-ASCII names), the rails' parser and `git apply --numstat --summary`
 * name the same path and the same kind, and the mode the rails expect is the one
 * `git apply --cached` leaves in the index. The base repository holds files of both modes.
 */

const BASE_MODES: Record<string, string> = {
  'src/add.js': '100644',
  'src/run.sh': '100755',
  'doc/my notes.md': '100644',
  'doc/é.md': '100755',
};
const HUNK = '@@ -1,2 +1,2 @@\n a\n-b\n+c\n';
const STAMPS = [
  '',
  '\t2026-01-01 00:00:00.000000000 +0000',
  ' 2026-01-01 00:00:00 +0000',
  ' 2026-01-01 00:00:00.5 -01:30',
  ' 2026-01-01 00:00:00',
  '\tThu Jan  1 00:00:00 2026',
];
const MODES = ['100644', '100755'];

const quote = (p: string) =>
  /[^\x20-\x7e]/.test(p)
    ? `"${[...Buffer.from(p, 'utf8')].map((b) => (b < 0x80 ? String.fromCharCode(b) : `\\${b.toString(8)}`)).join('')}"`
    : p;
const prefixed = (side: 'a' | 'b', p: string) => quote(`${side}/${p}`);

const variant = fc.oneof(
  fc.record({
    form: fc.constant('traditional' as const),
    file: fc.constantFrom(...Object.keys(BASE_MODES)),
    stamp: fc.constantFrom(...STAMPS),
  }),
  fc.record({
    form: fc.constant('modes' as const),
    file: fc.constantFrom(...Object.keys(BASE_MODES)),
    oldMode: fc.constantFrom(...MODES),
    newMode: fc.constantFrom(...MODES),
  }),
  fc.record({
    form: fc.constant('rename' as const),
    file: fc.constantFrom(...Object.keys(BASE_MODES)),
    words: fc.constantFrom(['from', 'to'], ['old', 'new']),
    to: fc.constantFrom('lib/moved.js', 'lib/é x.js', 'lib/two words.js'),
  }),
  fc.record({ form: fc.constant('add' as const), to: fc.constantFrom('new.js', 'lib/ü.js', 'a b.js'), mode: fc.constantFrom(...MODES) }),
);
type Variant = typeof variant extends fc.Arbitrary<infer T> ? T : never;

function render(v: Variant): string {
  switch (v.form) {
    case 'traditional':
      return `--- ${prefixed('a', v.file)}${v.stamp}\n+++ ${prefixed('b', v.file)}${v.stamp}\n${HUNK}`;
    case 'modes':
      return `diff --git ${prefixed('a', v.file)} ${prefixed('b', v.file)}\nold mode ${v.oldMode}\nnew mode ${v.newMode}\n--- ${prefixed('a', v.file)}\n+++ ${prefixed('b', v.file)}\n${HUNK}`;
    case 'rename':
      return `diff --git ${prefixed('a', v.file)} ${prefixed('b', v.to)}\nsimilarity index 100%\nrename ${v.words[0]} ${quote(v.file)}\nrename ${v.words[1]} ${quote(v.to)}\n`;
    case 'add':
      return `diff --git ${prefixed('a', v.to)} ${prefixed('b', v.to)}\nnew file mode ${v.mode}\n--- /dev/null\n+++ ${prefixed('b', v.to)}\n@@ -0,0 +1 @@\n+x\n`;
  }
}

describe('the patch parser and git apply', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'il-agree-'));
    await mkdir(path.join(repo, 'src'));
    await mkdir(path.join(repo, 'doc'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo });
    git('init', '-q');
    for (const [file, mode] of Object.entries(BASE_MODES)) {
      await writeFile(path.join(repo, file), 'a\nb\n', { mode: mode === '100755' ? 0o755 : 0o644 });
    }
    git('add', '.');
    git('commit', '-qm', 'base');
  });
  afterAll(() => rm(repo, { recursive: true, force: true }));

  it('name the same path and the same resulting mode for every generated header variant', () => {
    fc.assert(
      fc.property(variant, (v) => {
        const patch = render(v);
        const out = execFileSync('git', ['apply', '--numstat', '--summary', '-z'], { cwd: repo, input: patch }).toString('utf8');
        const [numstat = '', summary = ''] = out.split('\0');
        const gitPath = numstat.split('\t')[2];
        // --summary reports the patch's mode lines, not the result (equal old/new lines print nothing
        // yet change the mode), so the resulting mode is read from the index after a real apply.
        execFileSync('git', ['apply', '--cached'], { cwd: repo, input: patch });
        const staged = execFileSync('git', ['ls-files', '-s', '-z', '--', gitPath ?? ''], { cwd: repo })
          .toString('utf8')
          .slice(0, 6);
        execFileSync('git', ['read-tree', 'HEAD'], { cwd: repo });

        const parsed = parsePatch(patch);
        expect(parsed.problems).toEqual([]);
        expect(parsed.files).toHaveLength(1);
        const file = parsed.files[0]!;
        expect(file.newPath).toBe(gitPath);
        expect(file.kind === 'rename').toBe(summary.includes(' rename '));
        const baseMode = file.oldPath === null ? undefined : BASE_MODES[file.oldPath];
        expect(file.newMode ?? baseMode).toBe(staged);
      }),
      { numRuns: 100 },
    );
  });
});
