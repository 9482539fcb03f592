import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepositoryReader } from '../../../../src/adapters/git/history/git-repository-reader.ts';
import type { RepositoryReader } from '../../../../src/ports/repository.ts';
import { createGeneratedHistory, type TestGitRepo } from '../../../helpers/git-repo.ts';

const HOUR = 3600_000;
const START = new Date('2024-01-01T00:00:00Z');
const COMMITS = 10_000;
const FILES = 50;
/** Commit i is dated START + i hours and changes src/f<i mod 50>.js. */
const dateOf = (i: number) => new Date(START.getTime() + i * HOUR);

describe('the git repository reader on a 10 000-commit history', () => {
  let repo: TestGitRepo;
  let reader: RepositoryReader;

  beforeAll(async () => {
    repo = await createGeneratedHistory({ commits: COMMITS, files: FILES, start: START, stepMs: HOUR });
    reader = createGitRepositoryReader(repo.dir);
  }, 60_000);
  afterAll(() => repo?.cleanup());

  it('returns the newest commits of one file before a date, limited by git', async () => {
    const before = dateOf(5000);
    const commits = await reader.commitsTouching(['src/f7.js'], { before, limit: 20 });
    // The newest commit i < 5000 with i mod 50 = 7 is 4957; then every 50th before it.
    expect(commits.map((c) => c.subject)).toEqual(Array.from({ length: 20 }, (_, k) => `change ${4957 - 50 * k}`));
    expect(commits.every((c) => c.date < before && c.files[0]?.path === 'src/f7.js')).toBe(true);
  });

  it('counts a 30-day window of churn: 720 hourly commits spread over 50 files', async () => {
    const churn = await reader.churn(dateOf(COMMITS - 720), dateOf(COMMITS));
    const commits = [...churn.values()].reduce((sum, c) => sum + c.commits, 0);
    expect(commits).toBe(720);
    expect(churn.size).toBe(FILES);
  });

  it('blames the first line of a file to the last commit that rewrote it', async () => {
    const [line] = await reader.blame('src/f7.js', [1]);
    expect(line?.content).toBe('edit 9957');
    expect(line?.date).toEqual(dateOf(9957));
  });
});
