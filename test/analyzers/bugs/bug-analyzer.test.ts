import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/domain/finding.ts';
import { createGitRepositoryReader } from '../../../src/adapters/git/history/git-repository-reader.ts';
import { createBugAnalyzer } from '../../../src/analyzers/bugs/bug-analyzer.ts';
import type { AnalysisContext } from '../../../src/ports/analyzer.ts';
import { createTestGitRepo, type TestGitRepo } from '../../helpers/git-repo.ts';
import { createMemoryWarehouse, type ErrorLogRow } from '../../helpers/memory-warehouse.ts';

const DAY = 24 * 3600 * 1000;
const END = new Date('2026-01-31T00:00:00Z');
const week: AnalysisContext = { cycle: 'weekly', asOf: END, window: { from: new Date(END.getTime() - 7 * DAY), to: END } };

const formatStack = (line: number) =>
  `TypeError: Cannot read properties of null (reading 'amount')\n    at formatOrderTotal (/srv/app/src/orders/format.js:${line}:17)\n    at getOrder (/srv/app/src/server.js:12:10)\n    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)`;

/** `count` occurrences spread over [fromDay, toDay) days before END, with varying ids in the message. */
function errors(count: number, fromDaysAgo: number, toDaysAgo: number, make: (i: number) => Omit<ErrorLogRow, 'timestamp'>): ErrorLogRow[] {
  const span = (fromDaysAgo - toDaysAgo) * DAY;
  return Array.from({ length: count }, (_, i) => ({
    ...make(i),
    timestamp: new Date(END.getTime() - fromDaysAgo * DAY + Math.floor((i + 0.5) * (span / count))),
  }));
}

const nullAmount = (i: number) => ({
  message: `Order ${1000 + i} total failed: cannot read amount of null`,
  stack: formatStack(42),
  endpoint: 'GET /api/orders/:id',
});
const timeout = (i: number) => ({
  message: `Upstream timeout after ${3000 + i} ms calling payments`,
  stack: 'Error: timeout\n    at callPayments (/srv/app/src/payments/client.js:30:11)',
  endpoint: 'POST /api/checkout',
});

describe('the bug analyzer', () => {
  let repo: TestGitRepo | undefined;
  afterEach(async () => {
    await repo?.cleanup();
    repo = undefined;
  });

  it('groups varying messages into one template per bug, with counts, trend and endpoints', async () => {
    const rows = [
      ...errors(12, 5, 0, nullAmount), // new this week
      ...errors(8, 7, 0, timeout), // steady: 8 this week, about 8 a week before
      ...errors(30, 37, 7, timeout),
      ...errors(3, 7, 0, (i) => ({ message: `Rare glitch ${i}`, stack: null, endpoint: null })), // below the threshold
    ];
    const analyzer = createBugAnalyzer({
      warehouse: createMemoryWarehouse({ errors: rows }),
      settings: { minErrorsForBugReport: 5 },
      appRoots: ['/srv/app'],
    });
    const findings = await analyzer.analyze(week);
    expect(findings).toHaveLength(2);
    const [nulls, timeouts] = findings;
    expect(nulls!.magnitude).toBe(1.71); // 12 in 7 days, per day
    expect(nulls!.evidence).toEqual(
      expect.arrayContaining([
        { label: 'occurrences', value: 12 },
        { label: 'trend', value: 'new' },
        { label: 'endpoints', value: 'GET /api/orders/:id (12)' },
        { label: 'thrown at', value: 'src/orders/format.js:42 in formatOrderTotal' },
      ]),
    );
    expect(nulls!.priority).toBe('high');
    expect(nulls!.type).toBe('bug_fix');
    expect(timeouts!.magnitude).toBe(1.14); // 8 in 7 days
    expect(timeouts!.evidence).toContainEqual({ label: 'trend', value: 'steady' });
    expect(timeouts!.evidence).toContainEqual({ label: 'occurrences in the 30 days before', value: 30 });
    expect((timeouts!.details as { template: string }).template).toMatch(/Upstream timeout after <\*?[A-Z]*>? ?.*calling payments/);
  });

  it('keeps each bug’s occurrences per day over the last two weeks, for its chart', async () => {
    const rows = [...errors(12, 5, 0, nullAmount), ...errors(8, 7, 0, timeout), ...errors(30, 37, 7, timeout)];
    const analyzer = createBugAnalyzer({
      warehouse: createMemoryWarehouse({ errors: rows }),
      settings: { minErrorsForBugReport: 5 },
      appRoots: ['/srv/app'],
    });
    const [nulls, timeouts] = await analyzer.analyze(week);
    for (const finding of [nulls!, timeouts!]) {
      expect(finding.series).toMatchObject({ kind: 'bars', bucket: 'day', unit: 'errors' });
      expect(finding.series!.points).toHaveLength(14);
      expect(finding.series!.points.at(-1)!.at).toBe(new Date(week.window.to.getTime() - DAY).toISOString());
    }
    const total = (f: Finding) => f.series!.points.reduce((sum, p) => sum + p.value, 0);
    // All 12 of the new bug fall in its 5 days; the timeout's 8 this week plus those of the week before.
    expect(total(nulls!)).toBe(12);
    expect(nulls!.series!.points.slice(0, 9).every((p) => p.value === 0)).toBe(true);
    expect(total(timeouts!)).toBeGreaterThan(8);
  });

  it('keeps the same fingerprint for the same bug across cycles, and raises nothing on clean data', async () => {
    const analyzer = (rows: ErrorLogRow[]) =>
      createBugAnalyzer({
        warehouse: createMemoryWarehouse({ errors: rows }),
        settings: { minErrorsForBugReport: 5 },
        appRoots: ['/srv/app'],
      });
    const first = await analyzer(errors(12, 5, 0, nullAmount)).analyze(week);
    const later = await analyzer(errors(20, 6, 0, (i) => nullAmount(i + 500))).analyze(week);
    expect(later[0]!.fingerprint).toBe(first[0]!.fingerprint);
    expect(await analyzer([]).analyze(week)).toEqual([]);
  });

  it('keeps the fingerprint when a second variant generalizes the template', async () => {
    const stack = 'Error: timeout\n    at connect (/srv/app/src/db/pool.js:12:9)';
    const analyzer = (rows: ErrorLogRow[]) =>
      createBugAnalyzer({
        warehouse: createMemoryWarehouse({ errors: rows }),
        settings: { minErrorsForBugReport: 5 },
        appRoots: ['/srv/app'],
      });
    const primaryOnly = errors(6, 5, 0, () => ({ message: 'Timeout connecting to db-primary', stack, endpoint: null }));
    const both = [...primaryOnly, ...errors(6, 5, 0, () => ({ message: 'Timeout connecting to db-replica', stack, endpoint: null }))];
    const [first] = await analyzer(primaryOnly).analyze(week);
    const later = await analyzer(both).analyze(week);
    expect(later).toHaveLength(1);
    expect(later[0]!.fingerprint).toBe(first!.fingerprint);
    expect(later[0]!.evidence).toContainEqual({ label: 'occurrences', value: 12 });
  });

  it('names the commit that changed the failing line before the first occurrence as the prime suspect', async () => {
    repo = await createTestGitRepo([
      {
        message: 'Add order formatting',
        date: '2026-01-02T10:00:00Z',
        files: { 'src/orders/format.js': lines(60, 'const x = 1;'), 'src/server.js': lines(20, '// server') },
      },
      { message: 'Refactor server routes', date: '2026-01-10T10:00:00Z', files: { 'src/server.js': lines(20, '// routes') } },
      {
        message: 'Show discounts in order totals',
        date: '2026-01-25T09:00:00Z',
        files: { 'src/orders/format.js': lines(60, 'const x = 1;', { 42: '  return order.discount.amount + order.total; // new' }) },
      },
      {
        message: 'Tidy comments in format.js',
        date: '2026-01-29T09:00:00Z',
        files: {
          'src/orders/format.js': lines(60, 'const x = 1;', { 42: '  return order.discount.amount + order.total; // new', 5: '// tidy' }),
        },
      },
    ]);
    const analyzer = createBugAnalyzer({
      warehouse: createMemoryWarehouse({ errors: errors(12, 5, 0, nullAmount) }),
      repo: createGitRepositoryReader(repo.dir),
      settings: { minErrorsForBugReport: 5 },
      appRoots: ['/srv/app'],
    });
    const [finding] = await analyzer.analyze(week);
    const suspect = finding!.evidence.find((e) => e.label === 'suspect commit');
    expect(String(suspect?.value)).toMatch(/Show discounts in order totals/);
    expect(finding!.evidence).toContainEqual({ label: 'new since a commit', value: 'yes' });
    expect(finding!.subject).toEqual({ endpoint: 'GET /api/orders/:id', files: ['src/orders/format.js', 'src/server.js'] });
    const suspects = (finding!.details as { suspects: { subject: string }[] }).suspects.map((s) => s.subject);
    expect(suspects).not.toContain('Tidy comments in format.js');
  });
});

function lines(count: number, filler: string, overrides: Record<number, string> = {}): string {
  return `${Array.from({ length: count }, (_, i) => overrides[i + 1] ?? `${filler} // line ${i + 1}`).join('\n')}\n`;
}
