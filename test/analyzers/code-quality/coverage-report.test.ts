import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseLcov, readCoverageReport } from '../../../src/analyzers/code-quality/coverage-report.ts';

const FILES = ['src/a.js', 'src/b.js', 'lib/index.js'];

describe('reading the last coverage report of the target repository', () => {
  let dir: string;
  let outside: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'il-cov-'));
    outside = await mkdtemp(path.join(tmpdir(), 'il-cov-outside-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('reads lcov.info, from LF/LH or from DA lines when those are missing, with relative and absolute paths', async () => {
    await mkdir(path.join(dir, 'coverage'));
    await writeFile(
      path.join(dir, 'coverage/lcov.info'),
      [
        'TN:',
        'SF:src/a.js',
        'DA:1,1',
        'DA:2,0',
        'LF:2',
        'LH:1',
        'end_of_record',
        `SF:${dir}/src/b.js`,
        'DA:1,3',
        'DA:2,0',
        'DA:3,0',
        'DA:4,1',
        'end_of_record',
        'SF:/elsewhere/lib/index.js',
        'LF:10',
        'LH:10',
        'end_of_record',
        'SF:/elsewhere/gone.js',
        'LF:10',
        'LH:0',
        'end_of_record',
      ].join('\n'),
    );
    const report = await readCoverageReport(dir, FILES);
    expect(report?.source).toBe('coverage/lcov.info');
    expect(report?.files).toEqual([
      { file: 'src/a.js', linesTotal: 2, linesCovered: 1, pct: 50 },
      { file: 'src/b.js', linesTotal: 4, linesCovered: 2, pct: 50 },
      { file: 'lib/index.js', linesTotal: 10, linesCovered: 10, pct: 100 },
    ]);
  });

  it('prefers coverage-summary.json and skips its total', async () => {
    await mkdir(path.join(dir, 'coverage'));
    await writeFile(path.join(dir, 'coverage/lcov.info'), 'SF:src/a.js\nLF:1\nLH:0\nend_of_record\n');
    await writeFile(
      path.join(dir, 'coverage/coverage-summary.json'),
      JSON.stringify({
        total: { lines: { total: 3, covered: 2, pct: 66.67 } },
        '/ci/src/a.js': { lines: { total: 3, covered: 2, pct: 66.67 } },
      }),
    );
    const report = await readCoverageReport(dir, FILES);
    expect(report).toMatchObject({ source: 'coverage/coverage-summary.json', files: [{ file: 'src/a.js', pct: 66.7 }] });
  });

  it('has no report when there is none, or when the report is a symlink leading out of the repository', async () => {
    expect(await readCoverageReport(dir, FILES)).toBeNull();
    await writeFile(path.join(outside, 'lcov.info'), 'SF:src/a.js\nLF:1\nLH:0\nend_of_record\n');
    await symlink(outside, path.join(dir, 'coverage'));
    expect(await readCoverageReport(dir, FILES)).toBeNull();
  });

  it('ignores lines outside a record', () => {
    expect(parseLcov('LF:5\nLH:1\nSF:x.js\nLF:2\nLH:2\nend_of_record\nLF:9\n')).toEqual([{ path: 'x.js', linesTotal: 2, linesCovered: 2 }]);
  });
});
