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
    expect(draft.summary).toBe('Asked often. Evidence: quote: CSV please.');
  });
});
