import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePatch } from '../../../../src/adapters/executor/rails/patch-parser.ts';
import { duplicateExtraction } from '../../../../src/adapters/llm/offline/duplicate-extraction.ts';
import type { Finding } from '../../../../src/domain/finding.ts';

const FILTER = `(order) => {
    if (query.status && order.status !== query.status) return false;
    if (query.minTotal && order.totalCents < Number(query.minTotal) * 100) return false;
    return true;
  }`;

const files = (filter = FILTER, other = FILTER): Record<string, string> => ({
  'package.json': '{ "type": "module" }\n',
  'src/db.js': `export const db = { fetchOrders: async () => globalThis.ORDERS };\n`,
  'src/orders/list-orders.js': `import { db } from '../db.js';

/** GET /api/orders */
export async function listOrders({ query }) {
  const orders = await db.fetchOrders();
  const selected = orders.filter(${filter});
  return { status: 200, body: selected.map((o) => o.id) };
}
`,
  'src/reports/export.js': `import { db } from '../db.js';

export async function exportReport({ query }) {
  const orders = await db.fetchOrders();
  const selected = orders.filter(${other});
  return { status: 200, body: selected.map((o) => \`\${o.id},\${o.status}\`).join('\\n') };
}
`,
});

function duplicationFinding(): Finding {
  return {
    analyzer: 'code_quality',
    type: 'code_quality',
    category: 'duplication',
    fingerprint: 'code_quality:duplication:src/orders/list-orders.js:listOrders|src/reports/export.js:exportReport',
    title: 'Remove the 5-line duplicate',
    summary: '',
    evidence: [],
    priority: 'low',
    magnitude: 5,
    details: {
      locations: [
        { file: 'src/orders/list-orders.js', startLine: 6, endLine: 10, function: 'listOrders' },
        { file: 'src/reports/export.js', startLine: 5, endLine: 9, function: 'exportReport' },
      ],
    },
  };
}

const reader = (tree: Record<string, string>) => async (file: string) => tree[file] ?? null;

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function checkout(tree: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'il-extract-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

async function run(dir: string, query: Record<string, string>) {
  const { listOrders } = await import(pathToFileURL(path.join(dir, 'src/orders/list-orders.js')).href);
  const { exportReport } = await import(pathToFileURL(path.join(dir, 'src/reports/export.js')).href);
  return [await listOrders({ query }), await exportReport({ query })];
}

describe('the duplicate extraction of the offline writer', () => {
  it('moves a repeated callback into a shared module that both files call, which git applies and which behaves the same', async () => {
    const tree = files();
    const drafted = (await duplicateExtraction(duplicationFinding(), reader(tree)))!;
    expect(drafted).toMatchObject({ module: 'src/orders/order-matches.js', name: 'orderMatches' });
    expect(drafted.patch).toContain('+export function orderMatches(order, query) {\n+  if (query.status');
    expect(drafted.patch).toContain("+import { orderMatches } from '../orders/order-matches.js';");
    expect(drafted.patch).toContain('+  const selected = orders.filter((order) => orderMatches(order, query));');
    const parsed = parsePatch(drafted.patch);
    expect(parsed.problems).toEqual([]);
    expect(parsed.files.map((f) => f.newPath)).toEqual([
      'src/orders/order-matches.js',
      'src/orders/list-orders.js',
      'src/reports/export.js',
    ]);

    const before = checkout(tree);
    const after = checkout(tree);
    writeFileSync(path.join(after, 'change.patch'), drafted.patch);
    execFileSync('git', ['apply', '--check', 'change.patch'], { cwd: after });
    execFileSync('git', ['apply', 'change.patch'], { cwd: after });
    (globalThis as { ORDERS?: unknown }).ORDERS = [
      { id: 1, status: 'paid', totalCents: 5000 },
      { id: 2, status: 'open', totalCents: 20000 },
      { id: 3, status: 'paid', totalCents: 30000 },
    ];
    const queries: Record<string, string>[] = [{}, { status: 'paid' }, { minTotal: '100' }, { status: 'paid', minTotal: '100' }];
    for (const query of queries) expect(await run(after, query)).toEqual(await run(before, query));
  });

  it('drafts nothing where moving the code could change what it does', async () => {
    const same = (filter: string) => files(filter, filter);
    const cases: [string, Record<string, string>][] = [
      ['copies that differ', files(FILTER, FILTER.replace('return true', 'return false'))],
      ['an outer variable assigned', same(FILTER.replace('return true;', 'query = {};\n    return true;'))],
      ['a module-level binding read', same(FILTER.replace('Number(query.minTotal)', 'db.scale(query.minTotal)'))],
      ['this', same(FILTER.replace('return true', 'return this !== undefined'))],
      ['a destructured parameter', same(FILTER.replace('(order) =>', '({ status, totalCents }) =>').replaceAll('order.', ''))],
    ];
    for (const [why, tree] of cases) expect(await duplicateExtraction(duplicationFinding(), reader(tree)), why).toBeNull();
    const taken = { ...files(), 'src/orders/order-matches.js': 'export const x = 1;\n' };
    expect(await duplicateExtraction(duplicationFinding(), reader(taken)), 'a module already there').toBeNull();
    const commonJs = Object.fromEntries(
      Object.entries(files()).map(([f, c]) => [
        f,
        c.replace(/^import .*$/m, "const { db } = require('../db.js');").replace('export async function', 'async function'),
      ]),
    );
    expect(await duplicateExtraction(duplicationFinding(), reader(commonJs)), 'CommonJS').toBeNull();
  });
});
