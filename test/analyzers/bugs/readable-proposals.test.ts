import { afterEach, describe, expect, it } from 'vitest';
import { createGitRepositoryReader } from '../../../src/adapters/git/history/git-repository-reader.ts';
import { createBugAnalyzer } from '../../../src/analyzers/bugs/bug-analyzer.ts';
import type { AnalysisContext } from '../../../src/ports/analyzer.ts';
import { createTestGitRepo, type TestGitRepo } from '../../helpers/git-repo.ts';
import { createMemoryWarehouse, type ErrorLogRow } from '../../helpers/memory-warehouse.ts';

const DAY = 24 * 3600 * 1000;
const END = new Date('2026-01-31T00:00:00Z');
const week: AnalysisContext = { cycle: 'weekly', asOf: END, window: { from: new Date(END.getTime() - 7 * DAY), to: END } };
const STACK = 'TypeError: x\n    at cartTotal (/srv/app/src/cart/pricing.js:42:17)\n    at handle (/srv/app/src/server.js:12:10)';

function occurrences(count: number, message: (i: number) => string): ErrorLogRow[] {
  return Array.from({ length: count }, (_, i) => ({
    message: message(i),
    stack: STACK,
    endpoint: 'GET /api/cart',
    timestamp: new Date(END.getTime() - DAY + i * 1000),
  }));
}

describe('a bug proposal a person can act on', () => {
  let repo: TestGitRepo | undefined;
  afterEach(async () => {
    await repo?.cleanup();
    repo = undefined;
  });

  it('keeps the property name that never varies, quotes a real message and names repository paths without APP_ROOTS', async () => {
    repo = await createTestGitRepo([
      {
        message: 'Cart pricing',
        date: '2026-01-02T10:00:00Z',
        files: { 'src/cart/pricing.js': 'x\n'.repeat(60), 'src/server.js': 'y\n'.repeat(20), 'lib/pricing.txt': 'z\n' },
      },
    ]);
    const message = "TypeError: Cannot read properties of undefined (reading 'price')";
    const analyzer = createBugAnalyzer({
      warehouse: createMemoryWarehouse({ errors: occurrences(120, () => message) }),
      repo: createGitRepositoryReader(repo.dir),
      settings: { minErrorsForBugReport: 5 },
    });
    const [finding] = await analyzer.analyze(week);
    expect(finding!.title).toBe('TypeError in cartTotal (src/cart/pricing.js)');
    expect(finding!.evidence).toContainEqual({ label: 'example', value: message });
    expect(finding!.evidence).toContainEqual({ label: 'thrown at', value: 'src/cart/pricing.js:42 in cartTotal' });
    expect(JSON.stringify(finding)).not.toContain('/srv/app');
  });

  it('names a bug by its exception type, culprit function and repository file, with a real message in the summary, not masks', async () => {
    const stack = (fn: string) =>
      `PaymentTimeoutError: Payment provider timed out\n    at Object.${fn} [as handler] (/srv/app/src/payments/charge.js:22:11)`;
    const analyzer = createBugAnalyzer({
      warehouse: createMemoryWarehouse({
        errors: occurrences(40, (i) => `Payment provider timed out after ${4000 + i} ms charging order ${1000 + i}`).map((row) => ({
          ...row,
          stack: stack('chargeCard'),
        })),
      }),
      settings: { minErrorsForBugReport: 5 },
      appRoots: ['/srv/app'],
    });
    const [finding] = await analyzer.analyze(week);
    expect(finding!.title).toBe('PaymentTimeoutError in chargeCard (src/payments/charge.js)');
    expect(finding!.summary).toMatch(
      /^PaymentTimeoutError "Payment provider timed out after \d+ ms charging order \d+" was thrown 40 times in 7 days at src\/payments\/charge\.js:22 in chargeCard; none in the 30 days before\.$/,
    );
    expect(finding!.title + finding!.summary).not.toMatch(/<[A-Z*]+>|Fix:/);
    expect((finding!.details as { exceptionType: string }).exceptionType).toBe('PaymentTimeoutError');
  });

  it('tells apart two bugs thrown by one function by their messages, and names a frameless error by its message', async () => {
    const analyzer = createBugAnalyzer({
      warehouse: createMemoryWarehouse({
        errors: [
          ...occurrences(20, (i) => `TypeError: Invalid quantity ${i}.5 for SKU-${100 + i}`),
          ...occurrences(10, (i) => `TypeError: Unknown currency X${i % 2}Y${i}`),
          ...occurrences(8, () => 'socket hang up while calling the inventory service').map((row) => ({ ...row, stack: null })),
        ],
      }),
      settings: { minErrorsForBugReport: 5 },
      appRoots: ['/srv/app'],
    });
    const titles = (await analyzer.analyze(week)).map((f) => f.title);
    expect(titles).toEqual([
      expect.stringMatching(/^TypeError in cartTotal \(src\/cart\/pricing\.js\): Invalid quantity \d+\.5 for SKU-\d+$/),
      expect.stringMatching(/^TypeError in cartTotal \(src\/cart\/pricing\.js\): Unknown currency/),
      'Error: socket hang up while calling the inventory service',
    ]);
  });

  it('masks a quoted name only where it varies within the group', async () => {
    const names = ['price', 'qty', 'sku'];
    const analyzer = createBugAnalyzer({
      warehouse: createMemoryWarehouse({
        errors: occurrences(30, (i) => `TypeError: Cannot read properties of undefined (reading '${names[i % 3]}')`),
      }),
      settings: { minErrorsForBugReport: 5 },
    });
    const findings = await analyzer.analyze(week);
    expect(findings).toHaveLength(1);
    expect((findings[0]!.details as { template: string }).template).toBe('TypeError: Cannot read properties of undefined (reading <*>');
  });
});
