import { describe, expect, it } from 'vitest';
import { findDuplicateBlocks } from '../../../src/analyzers/code-quality/duplicate-blocks.ts';
import { CSV, SUMMARY } from './planted-repo.ts';

const DEFAULTS = { minTokens: 50, minLines: 5 };

describe('finding duplicated blocks with jscpd’s detector', () => {
  it('finds the block two JavaScript files share, with both locations', async () => {
    const blocks = await findDuplicateBlocks(
      [
        { file: 'src/report/summary.js', text: SUMMARY },
        { file: 'src/export/csv.js', text: CSV },
      ],
      DEFAULTS,
    );
    expect(blocks).toEqual([
      {
        first: { file: 'src/export/csv.js', startLine: 7, endLine: 19 },
        second: { file: 'src/report/summary.js', startLine: 4, endLine: 16 },
        tokens: expect.any(Number),
        lines: 12,
      },
    ]);
    expect(blocks[0]!.tokens).toBeGreaterThan(50);
  });

  it('reads TypeScript too', async () => {
    const ts = (name: string) =>
      `export function ${name}(orders: { id: number; items: { price: number; quantity: number }[] }[]): number[] {\n${SUMMARY.split('\n').slice(3, 15).join('\n')}\n  return rows.map((r) => r.id);\n}\n`;
    const blocks = await findDuplicateBlocks(
      [
        { file: 'src/a.ts', text: ts('a') },
        { file: 'src/b.ts', text: ts('b') },
      ],
      DEFAULTS,
    );
    expect(blocks.map((b) => [b.first.file, b.second.file])).toEqual([['src/b.ts', 'src/a.ts']]);
  });

  it('ignores copies shorter than the minimum lines, and files in formats it does not know', async () => {
    expect(
      await findDuplicateBlocks(
        [
          { file: 'a.js', text: SUMMARY },
          { file: 'b.js', text: SUMMARY },
        ],
        { minTokens: 50, minLines: 20 },
      ),
    ).toEqual([]);
    expect(
      await findDuplicateBlocks(
        [
          { file: 'a.unknownext', text: SUMMARY },
          { file: 'b.unknownext', text: SUMMARY },
        ],
        DEFAULTS,
      ),
    ).toEqual([]);
  });
});
