import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepositoryReader } from '../../../src/adapters/git/history/git-repository-reader.ts';
import { createCodeQualityAnalyzer } from '../../../src/analyzers/code-quality/code-quality-analyzer.ts';
import type { Finding } from '../../../src/domain/finding.ts';
import type { AnalysisContext } from '../../../src/ports/analyzer.ts';
import { createTestGitRepo, type TestGitRepo } from '../../helpers/git-repo.ts';
import { CLEAN_FILE, createPlantedRepo } from './planted-repo.ts';

const exec = promisify(execFile);
const AS_OF = new Date('2025-06-01T00:00:00Z');
const context: AnalysisContext = { cycle: 'monthly', asOf: AS_OF, window: { from: new Date('2025-05-02T00:00:00Z'), to: AS_OF } };
const NOW = () => new Date('2025-06-01T00:00:00Z');

function coverageSummary(repoDir: string) {
  const lines = (total: number, covered: number) => ({ lines: { total, covered, skipped: 0, pct: (100 * covered) / total } });
  return JSON.stringify({
    total: lines(90, 60),
    '/ci/build/src/util/money.js': lines(10, 4),
    [`${repoDir}/src/orders/pricing.js`]: lines(20, 19),
    '/ci/build/src/hot/dispatch.js': lines(12, 12),
    '/ci/build/test/pricing.test.js': lines(10, 1),
    '/ci/build/src/removed.js': lines(30, 0),
  });
}

describe('the code-quality analyzer on a repository with planted problems', () => {
  let repo: TestGitRepo;
  let canary: string;
  const notes: string[] = [];
  let findings: Finding[];
  const byCategory = (category: string) => findings.filter((f) => f.category === category);

  beforeAll(async () => {
    repo = await createPlantedRepo();
    await repo.writeUntracked('coverage/coverage-summary.json', coverageSummary(repo.dir));
    await utimes(path.join(repo.dir, 'coverage/coverage-summary.json'), new Date('2025-05-29T00:00:00Z'), new Date('2025-05-29T00:00:00Z'));
    // A hostile config: hooks and an fsmonitor that would write a canary if git ran them.
    canary = `${repo.dir}-canary`;
    await repo.writeUntracked('.git/evil/hook', `#!/bin/sh\necho ran >> '${canary}'\n`);
    await chmod(path.join(repo.dir, '.git/evil/hook'), 0o755);
    for (const hook of ['post-checkout', 'pre-commit', 'reference-transaction']) {
      await repo.writeUntracked(`.git/evil/hooks/${hook}`, `#!/bin/sh\necho ran >> '${canary}'\n`);
      await chmod(path.join(repo.dir, '.git/evil/hooks', hook), 0o755);
    }
    await exec('git', ['config', 'core.hooksPath', path.join(repo.dir, '.git/evil/hooks')], { cwd: repo.dir });
    await exec('git', ['config', 'core.fsmonitor', path.join(repo.dir, '.git/evil/hook')], { cwd: repo.dir });

    const analyzer = createCodeQualityAnalyzer({
      repo: createGitRepositoryReader(repo.dir),
      repoDir: repo.dir,
      now: NOW,
      onNote: (n) => notes.push(n),
    });
    expect(analyzer.name).toBe('code_quality');
    expect(analyzer.cycles).toEqual(['monthly']);
    findings = await analyzer.analyze(context);
  });
  afterAll(async () => {
    await repo?.cleanup();
    if (canary) await rm(canary, { force: true });
  });

  it('finds exactly the planted problems, one of each, nothing in tests, build output, vendored or generated code', () => {
    expect(findings.map((f) => [f.type, f.category, f.fingerprint])).toEqual([
      ['code_quality', 'complexity', 'code_quality:complexity:src/orders/pricing.js:computeDiscount'],
      ['code_quality', 'duplication', 'code_quality:duplication:src/export/csv.js:toCsv|src/report/summary.js:buildSummary'],
      ['code_quality', 'docs', 'code_quality:docs:src/util/money.js:formatCents'],
      ['code_quality', 'refactor', 'code_quality:refactor:src/hot/dispatch.js:route'],
      ['code_quality', 'tests', 'code_quality:tests:src/util/money.js'],
    ]);
    expect(findings.every((f) => f.analyzer === 'code_quality')).toBe(true);
  });

  it('measures the complex function with ESLint’s complexity rule', () => {
    const [complex] = byCategory('complexity');
    expect(complex!.details).toMatchObject({
      file: 'src/orders/pricing.js',
      function: 'computeDiscount',
      line: 4,
      complexity: 14,
      threshold: 10,
    });
    expect(complex!.evidence).toContainEqual({ label: 'cyclomatic complexity', value: 14 });
    expect(complex!.magnitude).toBe(14);
    expect(complex!.priority).toBe('low');
    expect(complex!.subject).toEqual({ files: ['src/orders/pricing.js'] });
  });

  it('reports the duplicated block with both of its locations', () => {
    const [duplicate] = byCategory('duplication');
    expect(duplicate!.details?.locations).toEqual([
      { file: 'src/export/csv.js', startLine: 7, endLine: 19, function: 'toCsv' },
      { file: 'src/report/summary.js', startLine: 4, endLine: 16, function: 'buildSummary' },
    ]);
    expect(duplicate!.evidence).toContainEqual({ label: 'duplicated lines', value: 12, unit: 'lines' });
    expect(duplicate!.evidence).toContainEqual({ label: 'first copy', value: 'src/export/csv.js:7-19' });
    expect(duplicate!.magnitude).toBe(12);
    expect(duplicate!.subject?.files).toEqual(['src/export/csv.js', 'src/report/summary.js']);
  });

  it('reports the exported function without JSDoc and not the private one', () => {
    const [doc] = byCategory('docs');
    expect(doc!.details).toMatchObject({ file: 'src/util/money.js', function: 'formatCents', line: 4 });
    expect(doc!.priority).toBe('low');
  });

  it('reports the hotspot: six commits in the window (not the seventh, after it) on a function of complexity 7', () => {
    const [hotspot] = byCategory('refactor');
    expect(hotspot!.details).toMatchObject({ file: 'src/hot/dispatch.js', function: 'route', complexity: 7, commits: 6 });
    expect(hotspot!.evidence).toContainEqual({ label: 'commits in window', value: 6 });
    expect(hotspot!.magnitude).toBe(42);
  });

  it('reports the file under the coverage threshold from the coverage summary, mapping its CI path', () => {
    const [gap] = byCategory('tests');
    expect(gap!.details).toMatchObject({
      file: 'src/util/money.js',
      pct: 40,
      uncovered: 6,
      linesTotal: 10,
      report: 'coverage/coverage-summary.json',
    });
    expect(gap!.evidence).toContainEqual({ label: 'line coverage', value: 40, unit: '%' });
    expect(gap!.evidence).toContainEqual({ label: 'coverage report age', value: 3, unit: 'days' });
  });

  it('notes that TypeScript files were checked for duplication only', () => {
    expect(notes).toEqual([expect.stringMatching(/^code_quality: 1 TypeScript files checked for duplication only/)]);
  });

  it('runs no hook and no fsmonitor planted in the repository', () => {
    expect(existsSync(canary)).toBe(false);
  });
});

describe('the code-quality analyzer on a clean repository', () => {
  let repo: TestGitRepo;

  beforeAll(async () => {
    repo = await createTestGitRepo([
      { message: 'one', date: '2025-05-10T00:00:00Z', files: { 'src/add.js': CLEAN_FILE, 'README.md': '# clean\n' } },
      {
        message: 'two',
        date: '2025-05-11T00:00:00Z',
        files: { 'src/sub.js': CLEAN_FILE.replaceAll('add', 'sub').replace('a + b', 'a - b') },
      },
    ]);
    await repo.writeUntracked(
      'coverage/lcov.info',
      'TN:\nSF:src/add.js\nDA:2,1\nDA:3,1\nLF:2\nLH:2\nend_of_record\nSF:src/sub.js\nDA:2,1\nDA:3,1\nLF:2\nLH:2\nend_of_record\n',
    );
  });
  afterAll(() => repo?.cleanup());

  it('finds nothing', async () => {
    const analyzer = createCodeQualityAnalyzer({ repo: createGitRepositoryReader(repo.dir), repoDir: repo.dir, now: NOW });
    expect(await analyzer.analyze(context)).toEqual([]);
  });
});
