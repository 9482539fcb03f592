import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepositoryReader } from '../../../src/adapters/git/history/git-repository-reader.ts';
import { isNewSinceCommit, mapToRepoFile, rankSuspectCommits } from '../../../src/analyzers/bugs/suspect-commits.ts';
import type { RepositoryReader } from '../../../src/ports/repository.ts';
import { createTestGitRepo, type TestGitRepo } from '../../helpers/git-repo.ts';

const FIRST_SEEN = new Date('2025-01-20T12:00:00Z');
const lines = (n: number, edit: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => edit[i + 1] ?? `  const line${i + 1} = ${i + 1};`).join('\n') + '\n';

describe('suspect commits for an error group', () => {
  let repo: TestGitRepo;
  let reader: RepositoryReader;
  const sha: Record<string, string> = {};

  beforeAll(async () => {
    repo = await createTestGitRepo();
    sha.initial = await repo.commit({
      message: 'Add orders',
      date: '2025-01-01T09:00:00Z',
      files: {
        'src/orders/format.js': lines(50),
        'src/orders/api.js': lines(20),
        'src/legacy/format.js': lines(50),
        'test/orders/format.js': lines(5),
      },
    });
    const refactored = lines(50, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [i + 1, `  let renamed${i + 1} = ${i + 1};`])));
    sha.refactor = await repo.commit({
      message: 'Refactor order formatting',
      date: '2025-01-10T00:00:00Z',
      author: { name: 'Rita Refactor', email: 'r@example.test' },
      files: {
        'src/orders/format.js': refactored,
      },
    });
    sha.faulty = await repo.commit({
      message: 'Round totals differently',
      date: '2025-01-18T12:00:00Z',
      author: { name: 'Fay Faulty', email: 'f@example.test' },
      files: {
        'src/orders/format.js': replaceLine(refactored, 42, '  const total = Math.floor(amount) / items.length;'),
      },
    });
    sha.unrelated = await repo.commit({
      message: 'Tweak header comment',
      date: '2025-01-19T12:00:00Z',
      files: {
        'src/orders/format.js': replaceLine(
          replaceLine(refactored, 42, '  const total = Math.floor(amount) / items.length;'),
          3,
          '  // formats orders',
        ),
      },
    });
    sha.fix = await repo.commit({
      message: 'Fix rounding',
      date: '2025-01-21T08:00:00Z',
      files: {
        'src/orders/format.js': replaceLine(
          replaceLine(refactored, 42, '  const total = items.length ? amount / items.length : 0;'),
          3,
          '  // formats orders',
        ),
      },
    });
    reader = createGitRepositoryReader(repo.dir);
  });
  afterAll(() => repo?.cleanup());

  const group = {
    firstSeen: FIRST_SEEN,
    frames: [
      { file: '/srv/app/src/orders/format.js', line: 42, function: 'formatTotal' },
      { file: '/srv/app/src/orders/api.js', line: 10, function: 'getOrder' },
      { file: '/srv/app/generated/bundle.js', line: 1 },
    ],
  };

  it('ranks first the commit that last changed the faulty line 2 days before the first occurrence', async () => {
    const { suspects } = await rankSuspectCommits(group, reader);
    expect(suspects[0]).toMatchObject({
      sha: sha.faulty,
      author: 'Fay Faulty',
      subject: 'Round totals differently',
      hoursBeforeFirstSeen: 48,
    });
    expect(suspects[0]!.reasons[0]).toBe('last changed line 42 of src/orders/format.js 2 days before the first occurrence');
    expect(suspects[0]!.reasons).toContain('changed src/orders/format.js (+1 −1) 2 days before the first occurrence');
    expect(suspects[0]!.blamedFrames).toEqual([{ file: 'src/orders/format.js', line: 42, depth: 0 }]);
  });

  it('ranks a later change elsewhere in the same file and the earlier refactor below it', async () => {
    const { suspects } = await rankSuspectCommits(group, reader);
    const rank = (name: string) => suspects.findIndex((s) => s.sha === sha[name]);
    expect(rank('unrelated')).toBeGreaterThan(0);
    expect(rank('refactor')).toBeGreaterThan(0);
    expect(suspects[rank('unrelated')]!.blamedFrames).toEqual([]);
    expect(suspects[rank('refactor')]!.linesChanged).toBe(80);
    expect(suspects[0]!.score).toBeGreaterThan(2 * suspects[rank('unrelated')]!.score);
    // The first commit last changed api.js line 10 (the second frame): a suspect, but a weak one.
    expect(suspects[rank('initial')]!.reasons[0]).toBe('last changed line 10 of src/orders/api.js 19 days before the first occurrence');
  });

  it('never suspects a commit made after the first occurrence, even one that changed the same line', async () => {
    const { suspects } = await rankSuspectCommits(group, reader);
    expect(suspects.map((s) => s.sha)).not.toContain(sha.fix);
    expect(suspects.every((s) => s.date < FIRST_SEEN)).toBe(true);
    expect(suspects).toHaveLength(4);
  });

  it('still suspects a commit older than the lookback when it last changed a frame line', async () => {
    const { suspects } = await rankSuspectCommits(group, reader, { lookbackDays: 5 });
    expect(suspects.map((s) => s.sha)).toEqual([sha.faulty, sha.unrelated, sha.initial]);
    expect(suspects[2]!.blamedFrames).toEqual([{ file: 'src/orders/api.js', line: 10, depth: 1 }]);
  });

  it('maps absolute stack paths to repository files and reports the frames it cannot map', async () => {
    const { frames, unmappedFrames } = await rankSuspectCommits(group, reader);
    expect(frames.map((f) => [f.repoFile, f.depth])).toEqual([
      ['src/orders/format.js', 0],
      ['src/orders/api.js', 1],
    ]);
    expect(unmappedFrames).toEqual([{ file: '/srv/app/generated/bundle.js', line: 1 }]);
  });

  it('finds no suspect when no frame maps to the repository', async () => {
    const ranking = await rankSuspectCommits({ firstSeen: FIRST_SEEN, frames: [{ file: '/elsewhere/x.js', line: 1 }] }, reader);
    expect(ranking.suspects).toEqual([]);
  });

  it('calls a group new since a commit when its top frame file changed in the week before it appeared', async () => {
    expect(await isNewSinceCommit(group, reader)).toBe(true);
    const apiGroup = { firstSeen: FIRST_SEEN, frames: [{ file: '/srv/app/src/orders/api.js', line: 10 }] };
    expect(await isNewSinceCommit(apiGroup, reader)).toBe(false);
    // Seen on the 17th, the last change to format.js (the refactor) is 7.5 days old.
    const early = { ...group, firstSeen: new Date('2025-01-17T12:00:00Z') };
    expect(await isNewSinceCommit(early, reader)).toBe(false);
    expect(await isNewSinceCommit(early, reader, { newSinceWindowDays: 8 })).toBe(true);
  });
});

describe('mapping a path from another machine to a repository file', () => {
  const files = ['src/orders/format.js', 'src/legacy/format.js', 'lib/index.js', 'src/index.js', 'README.md'];

  it('picks the file sharing the longest run of trailing segments', () => {
    expect(mapToRepoFile('/srv/app/src/orders/format.js', files)).toBe('src/orders/format.js');
    expect(mapToRepoFile('file:///srv/app/src/legacy/format.js', files)).toBe('src/legacy/format.js');
    expect(mapToRepoFile('C:\\build\\app\\src\\orders\\format.js', files)).toBe('src/orders/format.js');
    expect(mapToRepoFile('src/index.js', files)).toBe('src/index.js');
  });

  it('refuses to guess between files that match equally well, or when none matches the name', () => {
    expect(mapToRepoFile('/srv/app/index.js', files)).toBeNull();
    expect(mapToRepoFile('/srv/app/other/format.js', files)).toBeNull();
    expect(mapToRepoFile('/srv/app/src/nothing.js', files)).toBeNull();
    expect(mapToRepoFile('', files)).toBeNull();
  });
});

function replaceLine(text: string, line: number, content: string): string {
  const all = text.split('\n');
  all[line - 1] = content;
  return all.join('\n');
}
