import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepositoryReader } from '../../../../src/adapters/git/history/git-repository-reader.ts';
import { InvalidRepositoryPath, type RepositoryReader } from '../../../../src/ports/repository.ts';
import { createTestGitRepo, type TestGitRepo } from '../../../helpers/git-repo.ts';

const ada = { name: 'Ada Lovelace', email: 'ada@example.test' };
const grace = { name: 'Grace Hopper', email: 'grace@example.test' };
const linus = { name: 'Linus T', email: 'linus@example.test' };
const day = (n: number) => `2025-03-0${n}T10:00:00.000Z`;
const PNG_1 = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0]);
const PNG_2 = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 8, 7, 0, 0, 0]);

describe('the git repository reader', () => {
  let repo: TestGitRepo;
  let reader: RepositoryReader;
  const sha: string[] = [];

  beforeAll(async () => {
    repo = await createTestGitRepo();
    sha.push(
      await repo.commit({
        message: 'Add order formatting',
        date: day(1),
        author: ada,
        files: {
          'src/orders/format.js': 'const a = 1;\nconst b = 2;\nconst c = 3;\nconst d = 4;\nconst e = 5;\n',
          'README.md': '# demo\n',
          'assets/logo.png': PNG_1,
        },
      }),
    );
    sha.push(
      await repo.commit({
        message: 'Change b',
        date: day(2),
        author: grace,
        files: {
          'src/orders/format.js': 'const a = 1;\nconst b = 20;\nconst c = 3;\nconst d = 4;\nconst e = 5;\n',
        },
      }),
    );
    sha.push(
      await repo.commit({
        message: 'Change c and the logo',
        date: day(3),
        author: linus,
        files: {
          'src/orders/format.js': 'const a = 1;\nconst b = 20;\nconst c = 30;\nconst d = 4;\nconst e = 5;\n',
          'assets/logo.png': PNG_2,
        },
      }),
    );
    sha.push(
      await repo.commit({
        message: 'Rename format to formatting',
        date: day(4),
        author: ada,
        renames: { 'src/orders/format.js': 'src/orders/formatting.js' },
        files: { 'src/orders/formatting.js': 'const a = 1;\nconst b = 20;\nconst c = 30;\nconst d = 4;\nconst e = 50;\n' },
      }),
    );
    sha.push(
      await repo.commit({
        message: 'Touch other things',
        date: day(5),
        author: grace,
        files: {
          'src/other.js': 'export const other = true;\n',
          'src/orders/formatting.js': 'const a = 10;\nconst b = 20;\nconst c = 30;\nconst d = 4;\nconst e = 50;\n',
        },
      }),
    );
    reader = createGitRepositoryReader(repo.dir);
  });
  afterAll(() => repo?.cleanup());

  it('lists the files tracked at HEAD and nothing left untracked', async () => {
    await repo.writeUntracked('coverage/lcov.info', 'SF:x\n');
    expect((await reader.listFiles()).sort()).toEqual(['README.md', 'assets/logo.png', 'src/orders/formatting.js', 'src/other.js']);
  });

  it('reads a file as committed at HEAD, not as edited in the working tree, and null for a missing one', async () => {
    await repo.writeUntracked('src/other.js', 'edited but not committed\n');
    expect(await reader.readFile('src/other.js')).toBe('export const other = true;\n');
    expect(await reader.readFile('src/orders/format.js')).toBeNull();
    expect(await reader.readFile('src/orders')).toBeNull();
  });

  it('gives the sha HEAD points at', async () => {
    expect(await reader.head()).toBe(sha[4]);
  });

  it('reports each commit with its numstat, newest first, a binary file as binary', async () => {
    const commits = await reader.commitsTouching([]);
    expect(commits.map((c) => c.subject)).toEqual([
      'Touch other things',
      'Rename format to formatting',
      'Change c and the logo',
      'Change b',
      'Add order formatting',
    ]);
    const third = commits[2]!;
    expect(third).toMatchObject({
      sha: sha[2],
      author: 'Linus T',
      authorEmail: 'linus@example.test',
      date: new Date(day(3)),
      authorDate: new Date(day(3)),
    });
    expect(third.files).toEqual(
      expect.arrayContaining([
        { path: 'src/orders/format.js', added: 1, deleted: 1, binary: false },
        { path: 'assets/logo.png', added: 0, deleted: 0, binary: true },
      ]),
    );
    expect(commits[4]!.files).toHaveLength(3);
  });

  it('reports a rename with the old path and the lines it changed', async () => {
    const [rename] = await reader.commitsTouching(['src/orders/formatting.js'], { before: new Date(day(5)) });
    expect(rename!.sha).toBe(sha[3]);
    expect(rename!.files).toEqual([
      { path: 'src/orders/formatting.js', previousPath: 'src/orders/format.js', added: 1, deleted: 1, binary: false },
    ]);
  });

  it('filters by path, strictly before, since and limit inside git', async () => {
    const touching = await reader.commitsTouching(['src/orders/format.js', 'src/orders/formatting.js']);
    expect(touching.map((c) => c.sha)).toEqual([...sha].reverse());
    // A commit exactly at `before` is not before it.
    expect((await reader.commitsTouching(['src/orders/format.js'], { before: new Date(day(3)) })).map((c) => c.sha)).toEqual([
      sha[1],
      sha[0],
    ]);
    expect((await reader.commitsTouching([], { since: new Date(day(4)) })).map((c) => c.sha)).toEqual([sha[4], sha[3]]);
    expect((await reader.commitsTouching([], { limit: 2 })).map((c) => c.sha)).toEqual([sha[4], sha[3]]);
    expect(await reader.commitsTouching(['does/not/exist.js'])).toEqual([]);
  });

  it('blames a line to the 3rd of 5 commits, across the later rename', async () => {
    const [line3] = await reader.blame('src/orders/formatting.js', [3]);
    expect(line3).toEqual({
      line: 3,
      sha: sha[2],
      author: 'Linus T',
      date: new Date(day(3)),
      content: 'const c = 30;',
      path: 'src/orders/format.js',
    });
  });

  it('blames several lines at once, drops lines past the end, and blames an older revision when asked', async () => {
    const lines = await reader.blame('src/orders/formatting.js', [5, 1, 4, 99, 0]);
    expect(lines.map((l) => [l.line, l.sha])).toEqual([
      [1, sha[4]],
      [4, sha[0]],
      [5, sha[3]],
    ]);
    const before = await reader.blame('src/orders/format.js', [2, 3], { at: sha[1] });
    expect(before.map((l) => [l.line, l.sha])).toEqual([
      [2, sha[1]],
      [3, sha[0]],
    ]);
    expect(await reader.blame('src/nope.js', [1])).toEqual([]);
  });

  it('counts churn in a window under the name each file has now', async () => {
    const all = await reader.churn(new Date(day(1)));
    expect(all.get('src/orders/formatting.js')).toEqual({ commits: 5, linesChanged: 5 + 2 + 2 + 2 + 2 });
    expect(all.get('assets/logo.png')).toEqual({ commits: 2, linesChanged: 0 });
    expect(all.has('src/orders/format.js')).toBe(false);

    const lastThree = await reader.churn(new Date(day(3)));
    expect(lastThree.get('src/orders/formatting.js')).toEqual({ commits: 3, linesChanged: 6 });
    expect(lastThree.get('README.md')).toBeUndefined();

    const firstTwo = await reader.churn(new Date(day(1)), new Date(day(3)));
    expect([...firstTwo.keys()].sort()).toEqual(['README.md', 'assets/logo.png', 'src/orders/format.js']);
    expect(firstTwo.get('src/orders/format.js')).toEqual({ commits: 2, linesChanged: 7 });
  });

  it('refuses paths that leave the repository, are absolute, or are empty', async () => {
    for (const bad of ['../x', '/etc/passwd', 'src/../../x', '..', 'C:\\Windows\\win.ini', '..\\x', '', 'a\0b', '.']) {
      await expect(reader.readFile(bad), bad).rejects.toBeInstanceOf(InvalidRepositoryPath);
      await expect(reader.blame(bad, [1]), bad).rejects.toBeInstanceOf(InvalidRepositoryPath);
      await expect(reader.commitsTouching(['src/other.js', bad]), bad).rejects.toBeInstanceOf(InvalidRepositoryPath);
    }
    await expect(reader.blame('src/other.js', [1], { at: '--output=/tmp/x' })).rejects.toBeInstanceOf(InvalidRepositoryPath);
  });

  it('accepts a path spelled with ./ and doubled slashes, and takes pathspec characters literally', async () => {
    expect(await reader.readFile('./src//other.js')).toBe('export const other = true;\n');
    expect(await reader.commitsTouching(['src/*.js'])).toEqual([]);
    expect(await reader.commitsTouching([':(glob)**'])).toEqual([]);
  });
});
