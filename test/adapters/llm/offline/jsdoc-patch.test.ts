import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsdocPatch } from '../../../../src/adapters/llm/offline/jsdoc-patch.ts';
import { parsePatch } from '../../../../src/adapters/executor/rails/patch-parser.ts';
import type { Finding } from '../../../../src/domain/finding.ts';

const SEARCH = `import { db } from '../db.js';

export function rankProducts(products, query) {
  const words = query.toLowerCase().split(/\\s+/);
  return words.length ? products : [];
}

/** GET /api/search */
export async function search({ query }, limit = 10) {
  return { status: 200, body: rankProducts(await db.fetchProducts(), query.q).slice(0, limit) };
}
`;

function docsFinding(name: string, line: number, endLine: number, file = 'src/products/search.js'): Finding {
  return {
    analyzer: 'code_quality',
    type: 'code_quality',
    category: 'docs',
    fingerprint: `code_quality:docs:${file}:${name}`,
    title: `Document the exported ${name} in ${file}`,
    summary: '',
    evidence: [],
    priority: 'low',
    magnitude: endLine - line + 1,
    details: { file, function: name, line, endLine },
  };
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Applies the patch with git to a folder holding `content` at `file`; returns the file afterwards. */
function applied(file: string, content: string, patch: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'il-jsdoc-'));
  dirs.push(dir);
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), content);
  writeFileSync(path.join(dir, 'change.patch'), patch);
  execFileSync('git', ['apply', '--check', 'change.patch'], { cwd: dir });
  execFileSync('git', ['apply', 'change.patch'], { cwd: dir });
  return readFileSync(path.join(dir, file), 'utf8');
}

describe('the JSDoc patch of the offline writer', () => {
  it('inserts a comment from the name and parameters above the export, which git applies as written', () => {
    const drafted = jsdocPatch(docsFinding('rankProducts', 3, 6), SEARCH)!;
    expect(drafted.comment).toEqual(['/**', ' * Rank products.', ' *', ' * @param products', ' * @param query', ' * @returns', ' */']);
    const after = applied('src/products/search.js', SEARCH, drafted.patch);
    expect(after).toBe(SEARCH.replace('export function rankProducts', `${drafted.comment.join('\n')}\nexport function rankProducts`));
    const parsed = parsePatch(drafted.patch);
    expect(parsed.problems).toEqual([]);
    expect(parsed.files.map((f) => [f.newPath, f.added, f.removed])).toEqual([['src/products/search.js', 7, 0]]);
  });

  it('names destructured, defaulted and rest parameters as JSDoc spells them, and an async result as a promise', () => {
    const source = 'export async function find({ id, name }, limit = 10, ...rest) {\n  await rest;\n}\n';
    const drafted = jsdocPatch(docsFinding('find', 1, 3, 'src/find.js'), source)!;
    expect(drafted.comment.slice(3, -1)).toEqual([
      ' * @param arg1 - fields { id, name }',
      ' * @param [limit=10]',
      ' * @param ...rest',
      ' * @returns {Promise}',
    ]);
    expect(applied('src/find.js', source, drafted.patch)).toBe(`${drafted.comment.join('\n')}\n${source}`);
  });

  it('keeps the indentation and applies to a file without a final newline', () => {
    const source = 'const a = 1;\n  export const double = (n) =>\n    n * 2;';
    const drafted = jsdocPatch(docsFinding('double', 2, 3, 'src/double.js'), source)!;
    expect(drafted.comment).toContain(' * @returns');
    expect(applied('src/double.js', source, drafted.patch)).toBe(
      `const a = 1;\n${drafted.comment.map((l) => `  ${l}`).join('\n')}\n  export const double = (n) =>\n    n * 2;`,
    );
  });

  it('drafts nothing when the file no longer reads as the finding says, or the function is documented already', () => {
    expect(jsdocPatch(docsFinding('rankProducts', 1, 2), SEARCH)).toBeNull();
    expect(jsdocPatch(docsFinding('search', 9, 11), SEARCH)).toBeNull();
    expect(jsdocPatch(docsFinding('Cart.add', 3, 6), SEARCH)).toBeNull();
    expect(jsdocPatch({ ...docsFinding('rankProducts', 3, 6), category: 'complexity' }, SEARCH)).toBeNull();
  });
});
