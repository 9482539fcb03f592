import { createClaudeWriter, type ClaudeWriter, type ClaudeWriterOptions } from '../../../src/adapters/llm/anthropic/claude-writer.ts';
import { createTemplateWriter } from '../../../src/adapters/llm/offline/template-writer.ts';
import type { ProposalUsage } from '../../../src/adapters/llm/usage.ts';
import type { Finding } from '../../../src/domain/finding.ts';
import { silentLogger } from '../../../src/logging.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/fake-anthropic-server.ts';

export const TEST_API_KEY = 'sk-ant-test-0000';

let serial = 0;

/** A finding of the given type with the details its analyzer would attach. */
export function findingOf(type: Finding['type'], overrides: Partial<Finding> = {}): Finding {
  serial += 1;
  const common = {
    analyzer: `${type}-analyzer`,
    fingerprint: `${type}:test:${serial}:${Math.random().toString(36).slice(2, 8)}`,
    magnitude: 100 + serial,
  };
  const byType: Record<Finding['type'], Omit<Finding, 'analyzer' | 'fingerprint' | 'magnitude'>> = {
    feature: {
      type: 'feature',
      title: 'Customers ask for CSV export of invoices',
      summary: '14 customers asked for invoice export in 30 days.',
      evidence: [
        { label: 'requests', value: 14 },
        { label: 'customers', value: 9 },
      ],
      priority: 'high',
      details: { quotes: ['Can I export my invoices as CSV?', 'We need invoices in a spreadsheet for accounting.'] },
    },
    bug_fix: {
      type: 'bug_fix',
      title: "TypeError: Cannot read properties of undefined (reading 'total') in checkout",
      summary: 'The error occurred 212 times in the window.',
      evidence: [{ label: 'occurrences', value: 212 }],
      priority: 'high',
      details: {
        errorMessage: "TypeError: Cannot read properties of undefined (reading 'total')",
        stack:
          "TypeError: Cannot read properties of undefined (reading 'total')\n    at orderTotal (src/checkout/total.ts:14:22)\n    at handler (src/routes/checkout.ts:40:10)",
      },
    },
    performance: {
      type: 'performance',
      title: 'GET /api/orders/:id is slow',
      summary: 'p95 is over the threshold.',
      evidence: [{ label: 'p95 latency', value: 2840, unit: 'ms' }],
      priority: 'high',
      subject: { endpoint: 'GET /api/orders/:id', files: ['src/orders/get-order.ts'] },
      details: { handlers: [{ file: 'src/orders/get-order.ts', line: 3 }] },
    },
    code_quality: {
      type: 'code_quality',
      category: 'complexity',
      title: 'src/pricing/discount.ts is hard to change',
      summary: 'Cyclomatic complexity 31 in applyDiscount.',
      evidence: [{ label: 'complexity', value: 31 }],
      priority: 'medium',
      subject: { files: ['src/pricing/discount.ts'] },
      details: {
        code: 'export function applyDiscount(total: number, code: string) {\n  if (code === "A") return total * 0.9;\n  return total;\n}\n',
      },
    },
    security: {
      type: 'security',
      category: 'dependency',
      title: 'Upgrade lodash 4.17.15 → 4.17.21 in package-lock.json (GHSA-35jh-r3h4-6jhm)',
      summary: 'lodash 4.17.15 is installed and affected by GHSA-35jh-r3h4-6jhm (CVE-2021-23337, high).',
      evidence: [{ label: 'advisories', value: 'GHSA-35jh-r3h4-6jhm (CVE-2021-23337)' }],
      priority: 'high',
      subject: { files: ['package-lock.json'] },
      details: { package: 'lodash', version: '4.17.15', fixedVersion: '4.17.21' },
    },
    learning: {
      type: 'learning',
      title: 'Answers about refunds often fail',
      summary: '38% of refund conversations end unresolved.',
      evidence: [{ label: 'unresolved rate', value: 0.38 }],
      priority: 'medium',
      details: { questions: ['How do I get a refund?', 'Where is my refund?'] },
    },
  };
  return { ...common, ...byType[type], ...overrides } as Finding;
}

/** A schema-valid submit_proposal input for a finding of this type. */
export function validAnswer(type: Finding['type'], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    title: `Model title for ${type}`,
    summary: 'Model summary: what was measured and why it matters.',
    risk: 'Model risk: low.',
    implementationPlan: 'Model plan: step one, step two.',
    testPlan: 'Model test plan: a regression test.',
    rollbackPlan: 'Model rollback: revert the commit.',
  };
  if (type === 'feature') {
    base.specification = {
      problem: 'Accountants retype invoices by hand.',
      userStories: ['As an accountant, I want to export invoices as CSV ("Can I export my invoices as CSV?"), so that I can import them.'],
      acceptanceCriteria: ['Given invoices exist, when I click Export, then a CSV with one row per invoice downloads.'],
    };
  }
  if (type === 'bug_fix') {
    base.bugReport = {
      rootCauseHypothesis: 'orderTotal reads cart.total before the cart is loaded.',
      failingTest: {
        file: 'test/checkout/total.test.ts',
        code: "it('totals an empty cart', () => expect(orderTotal(undefined)).toBe(0));",
      },
    };
  }
  return { ...base, ...overrides };
}

/** A unified diff with correct hunk counts, against the code in findingOf('code_quality'). */
export const VALID_PATCH = [
  '--- a/src/pricing/discount.ts',
  '+++ b/src/pricing/discount.ts',
  '@@ -1,4 +1,5 @@',
  ' export function applyDiscount(total: number, code: string) {',
  '-  if (code === "A") return total * 0.9;',
  '+  const rates: Record<string, number> = { A: 0.9 };',
  '+  if (code in rates) return total * rates[code]!;',
  '   return total;',
  ' }',
  '',
].join('\n');

export interface Harness {
  fake: FakeAnthropic;
  writer: ClaudeWriter;
  usages: ProposalUsage[];
  close(): Promise<void>;
}

/** The fake API, and a Claude writer pointed at it with a template fallback and a usage log. */
export async function startHarness(options: Partial<ClaudeWriterOptions> = {}, fakeOptions: { apiKey?: string } = {}): Promise<Harness> {
  const fake = await startFakeAnthropic(fakeOptions);
  const usages: ProposalUsage[] = [];
  const writer = createClaudeWriter({
    apiKey: TEST_API_KEY,
    baseURL: fake.baseURL,
    logger: silentLogger(),
    fallback: createTemplateWriter(),
    usage: { record: (u) => usages.push(u) },
    ...options,
  });
  return { fake, writer, usages, close: () => fake.close() };
}

/** The user message text of a recorded request (the first turn, where the finding is). */
export function firstUserText(body: any): string {
  const content = body.messages[0].content;
  return typeof content === 'string' ? content : content.map((b: any) => b.text ?? '').join('\n');
}
