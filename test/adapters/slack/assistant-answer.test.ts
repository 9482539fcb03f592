// `any` reads Block Kit JSON in assertions.
import { describe, expect, it } from 'vitest';
import { blockLimitViolations } from '../../../src/adapters/slack/views/block-limits.ts';
import { renderAnswer } from '../../../src/adapters/slack/views/assistant-answer.ts';
import type { Answer } from '../../../src/assistant/answer.ts';

const base: Answer = { text: 'An answer.', tables: [], citations: [], actionsFor: [], answeredBy: 'claude-sonnet-5-5' };
const options = { proposals: [], hasAgent: false, footer: 'Answered by a test.' };

describe('an assistant answer in Block Kit', () => {
  it('splits a long answer into sections under 3,000 characters and stays within the message limits', () => {
    const text = Array.from({ length: 200 }, (_, i) => `• line ${i} ${'x'.repeat(40)}`).join('\n');
    const { message } = renderAnswer({ ...base, text }, options);
    const sections = message.blocks.filter((b: any) => b.type === 'section') as any[];
    expect(sections.length).toBeGreaterThan(2);
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(3000);
    expect(blockLimitViolations(message.blocks, 'message')).toEqual([]);
  });

  it('shows the first rows of a long table and attaches the whole table as CSV, with formulas defused', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [
      i === 0 ? '=HYPERLINK("http://evil")' : `GET /api/e${i}`,
      i * 10,
      'a, "quoted" cell',
    ]);
    const { message, files } = renderAnswer(
      { ...base, tables: [{ title: 'Endpoint latency', columns: ['endpoint', 'calls', 'note'], rows }] },
      options,
    );
    const table = (message.blocks as any[]).find((b) => b.type === 'section' && b.text.text.startsWith('*Endpoint latency*'));
    expect(table.text.text.split('\n').length).toBe(1 + 1 + 12);
    expect(JSON.stringify(message.blocks)).toContain('Showing 12 of 30 rows; the whole table is attached as a CSV file.');
    expect(files).toHaveLength(1);
    expect(files[0]!.filename).toBe('endpoint-latency.csv');
    const lines = files[0]!.content.split('\n');
    expect(lines).toHaveLength(31);
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil"")",0,"a, ""quoted"" cell"`);
  });

  it('escapes what the model or the telemetry wrote: no mention, broadcast or disguised link survives', () => {
    const { message } = renderAnswer({ ...base, text: 'Hey <!channel> and <@U123>, click <https://evil.example|Approve> @here' }, options);
    const json = JSON.stringify(message.blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<@U123>');
    expect(json).not.toContain('<https://evil');
    expect(json).not.toMatch(/[^＠]@here/);
  });

  it('links a cited proposal only with a plain https link, and names the telemetry window', () => {
    const { message } = renderAnswer(
      {
        ...base,
        citations: [
          {
            kind: 'proposal',
            proposalId: 'performance-20261124-ab12cd34ef',
            title: 'Cache',
            version: 3,
            link: 'https://loop.example.com/proposals/performance-20261124-ab12cd34ef',
          },
          { kind: 'proposal', proposalId: 'bugfix-20261124-ab12cd34ef', title: 'Fix', version: 1, link: 'javascript:alert(1)|x' },
          {
            kind: 'telemetry',
            table: 'logs.error_logs',
            window: { from: '2026-11-24T00:00:00.000Z', to: '2026-11-26T12:00:00.000Z' },
            counts: '2 groups, 40 errors',
          },
        ],
      },
      options,
    );
    const sources = JSON.stringify(message.blocks);
    expect(sources).toContain('<https://loop.example.com/proposals/performance-20261124-ab12cd34ef|performance-20261124-ab12cd34ef v3>');
    expect(sources).toContain('`bugfix-20261124-ab12cd34ef v1`');
    expect(sources).toContain('logs.error_logs, 2026-11-24 00:00 – 2026-11-26 12:00 UTC, 2 groups, 40 errors');
  });
});
