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
    expect(finding!.title).toBe(`Fix: ${message} in src/cart/pricing.js`);
    expect(finding!.evidence).toContainEqual({ label: 'example', value: message });
    expect(finding!.evidence).toContainEqual({ label: 'thrown at', value: 'src/cart/pricing.js:42 in cartTotal' });
    expect(JSON.stringify(finding)).not.toContain('/srv/app');
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
