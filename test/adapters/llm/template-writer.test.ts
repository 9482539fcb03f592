import { describe, expect, it } from 'vitest';
import { createTemplateWriter } from '../../../src/adapters/llm/offline/template-writer.ts';
import { findingOf } from './writer-harness.ts';

describe('the template writer', () => {
  it('copies the finding without its invisible and bidi control characters, fingerprint untouched', async () => {
    const finding = findingOf('feature', {
      title: 'Ex\u200bport \u202einvoices',
      summary: 'Asked\ufeff often.',
      evidence: [{ label: 'qu\u2060ote', value: 'CSV\u2066 please' }],
      fingerprint: 'feature:export\u200b',
    });
    const draft = await createTemplateWriter().write(finding);
    expect(draft).toMatchObject({
      title: 'Export invoices',
      evidence: [{ label: 'quote', value: 'CSV please' }],
      fingerprint: 'feature:export\u200b',
      writtenBy: 'template',
    });
    // The evidence is shown beside the summary on every surface: the summary does not repeat it.
    expect(draft.summary).toBe('Asked often.');
  });

  it('drafts a JSDoc patch for an undocumented export from the file it reads, and none when the file cannot be read', async () => {
    const finding = {
      ...findingOf('code_quality'),
      category: 'docs' as const,
      details: { file: 'src/add.js', function: 'add', line: 1, endLine: 3 },
    };
    const source = 'export function add(a, b) {\n  return a + b;\n}\n';
    const read: string[] = [];
    const writer = createTemplateWriter({ readFile: async (file) => (read.push(file), source) });
    const draft = await writer.write(finding);
    expect(read).toEqual(['src/add.js']);
    expect(draft.patch).toContain('+ * @param a\n+ * @param b\n+ * @returns\n');
    expect(draft.implementationPlan).toMatch(/JSDoc block/);

    const unreadable = createTemplateWriter({ readFile: () => Promise.reject(new Error('EACCES')) });
    expect((await unreadable.write(finding)).patch).toBeUndefined();
    expect((await createTemplateWriter().write(finding)).patch).toBeUndefined();
  });

  it("drafts a bug's regression test and fix from the frame's file, and keeps the playbook plan without a file to read", async () => {
    const finding = {
      ...findingOf('bug_fix'),
      details: {
        example: "Cannot read properties of undefined (reading 'email')",
        exceptionType: 'TypeError',
        frames: [{ function: 'receiptEmail', file: 'src/receipts.js', line: 2, column: 25 }],
      },
    };
    const files: Record<string, string> = {
      'package.json': '{ "type": "module", "scripts": { "test": "node --test" } }\n',
      'src/receipts.js': 'export function receiptEmail(order) {\n  return order.customer.email;\n}\n',
    };
    const draft = await createTemplateWriter({ readFile: async (file) => files[file] ?? null }).write(finding);
    expect(draft.patch).toContain('+++ b/test/receipt-email.regression.test.js');
    expect(draft.patch).toContain('+  return order.customer?.email;');
    expect(draft.implementationPlan).toMatch(/^The patch adds test\/receipt-email\.regression\.test\.js/);

    const offline = await createTemplateWriter().write(finding);
    expect(offline.patch).toBeUndefined();
    expect(offline.implementationPlan).toMatch(/^Reproduce the error with a failing test/);
  });
});
