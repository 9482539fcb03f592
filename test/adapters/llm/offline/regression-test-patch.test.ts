import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePatch } from '../../../../src/adapters/executor/rails/patch-parser.ts';
import { regressionTestPatch } from '../../../../src/adapters/llm/offline/regression-test-patch.ts';
import { createDemoRepo } from '../../../../src/demo/demo-repo.ts';
import { PLANTED_ERROR_GROUPS, type PlantedErrorGroup } from '../../../../src/demo/planted.ts';
import type { Finding } from '../../../../src/domain/finding.ts';

/** A bug finding as the bug analyzer files it: the example message, its type and the in-app frames mapped to repository files. */
function bugFinding(example: string, exceptionType: string, frames: PlantedErrorGroup['frames']): Finding {
  return {
    analyzer: 'bugs',
    type: 'bug_fix',
    fingerprint: `bug:${frames[0]?.file}`,
    title: `${exceptionType} in ${frames[0]?.function}`,
    summary: '',
    evidence: [],
    priority: 'high',
    magnitude: 10,
    details: { example, exceptionType, frames },
  };
}

const planted = (key: string) => {
  const group = PLANTED_ERROR_GROUPS.find((g) => g.key === key)!;
  return bugFinding(group.example, group.errorType, group.frames);
};

const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
const readerOf = (dir: string) => async (file: string) => {
  try {
    return readFileSync(path.join(dir, file), 'utf8');
  } catch {
    return null;
  }
};

/** `node --test` in the checkout, as the demo's `npm test` runs it: its exit status and output. */
function nodeTest(dir: string): { passed: boolean; output: string } {
  const run = spawnSync(process.execPath, ['--test'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
  return { passed: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** A fresh clone of `origin`, with `patch` applied, limited to `include` when given (git apply --include). */
function checkoutWith(origin: string, patch: string, include?: string): string {
  const dir = tempDir('il-regression-');
  execFileSync('git', ['clone', '--quiet', origin, dir]);
  writeFileSync(path.join(dir, '.git', 'change.patch'), patch);
  if (patch) git(dir, 'apply', ...(include ? [`--include=${include}`] : []), '.git/change.patch');
  return dir;
}

describe('the regression test the offline writer drafts for a bug', () => {
  let demo: string;
  beforeAll(async () => {
    demo = path.join(tempDir('il-regression-demo-'), 'repo');
    await createDemoRepo({ dir: demo });
  }, 60_000);

  it('adds a test that fails on the demo repository before the fix and passes with it, the fix read off the failing line', async () => {
    const drafted = (await regressionTestPatch(planted('csv-column-mismatch'), readerOf(demo)))!;
    expect(drafted.testFile).toBe('test/to-csv-row.regression.test.js');
    expect(drafted.patch).toContain('+  const values = columns.map((column) => row[column]);\n');
    expect(drafted.patch).toContain('-  const values = Object.values(row);\n');
    expect(drafted.test).toContain("import { toCsvRow } from '../src/reports/csv.js';");
    // The inputs are the message's: report 48812, seven columns, a row of six values, row 1.
    expect(drafted.test).toContain('      48812,\n');
    expect(drafted.test).toContain("['column1', 'column2', 'column3', 'column4', 'column5', 'column6', 'column7']");
    expect(drafted.plan).toMatch(/^The patch adds test\/to-csv-row\.regression\.test\.js, a regression test: it calls `toCsvRow\(48812, /);
    expect(drafted.plan).toContain('instead of `Object.values(row)`');
    const parsed = parsePatch(drafted.patch!);
    expect(parsed.problems).toEqual([]);
    expect(parsed.files.map((f) => f.newPath)).toEqual(['test/to-csv-row.regression.test.js', 'src/reports/csv.js']);

    const testOnly = nodeTest(checkoutWith(demo, drafted.patch!, 'test/*'));
    expect(testOnly.passed).toBe(false);
    // It fails the way production did: the recorded message, thrown by the same line.
    expect(testOnly.output).toContain('Column count mismatch in report 48812: expected 7 fields, got 6 (row 1)');
    expect(testOnly.output).toMatch(/# pass 12\n# fail 1\n/);
    const fixed = nodeTest(checkoutWith(demo, drafted.patch!));
    expect(fixed.output).toMatch(/# pass 13\n# fail 0\n/);
    expect(fixed.passed).toBe(true);
  }, 60_000);

  it('gives the test in the plan and no patch when the error is a check throwing on purpose, and that test fails at HEAD', async () => {
    const drafted = (await regressionTestPatch(planted('fractional-quantity'), readerOf(demo)))!;
    expect(drafted.patch).toBeUndefined();
    expect(drafted.plan).toContain("`formatOrderTotal({ items: [{ quantity: 1.5, sku: 'SKU-1001' }], id: 1042 })`");
    expect(drafted.plan).toContain('the check `!Number.isInteger(item.quantity)` throws TypeError on purpose at src/orders/format.js:28');
    expect(drafted.plan).toContain('The test is not attached as a patch');
    expect(drafted.plan).toContain(`\`\`\`js\n${drafted.test}\`\`\``);

    const dir = checkoutWith(demo, '');
    writeFileSync(path.join(dir, drafted.testFile), drafted.test);
    const run = nodeTest(dir);
    expect(run.passed).toBe(false);
    expect(run.output).toContain('Invalid quantity 1.5 for SKU-1001 in order 1042');
    // A lookup through an imported client depends on its data as well as on the arguments: the plan says so.
    const lookup = (await regressionTestPatch(planted('user-record-missing'), readerOf(demo)))!;
    expect(lookup.patch).toBeUndefined();
    expect(lookup.test).toContain("await assert.doesNotReject(() => findUserByEmail(17, 'maria.keller@example.org'));");
    expect(lookup.plan).toContain('findUserByEmail also reads `db` (imported), so whether it throws depends on what that holds too.');
    expect(drafted.plan).not.toContain('(imported)');
  }, 60_000);

  it('drafts nothing when the message holds a value the arguments do not determine, or the code moved since', async () => {
    // The timeout's latency comes from the provider's answer, not from chargeCard's argument.
    expect(await regressionTestPatch(planted('payment-timeout'), readerOf(demo))).toBeNull();
    const group = PLANTED_ERROR_GROUPS.find((g) => g.key === 'csv-column-mismatch')!;
    const moved = [{ ...group.frames[0]!, line: group.frames[0]!.line + 2 }, ...group.frames.slice(1)];
    expect(await regressionTestPatch(bugFinding(group.example, group.errorType, moved), readerOf(demo))).toBeNull();
    const otherMessage = bugFinding('Column count mismatch: 7 expected', group.errorType, group.frames);
    expect(await regressionTestPatch(otherMessage, readerOf(demo))).toBeNull();
    const otherType = bugFinding(group.example, 'RangeError', group.frames);
    expect(await regressionTestPatch(otherType, readerOf(demo))).toBeNull();
  });
});

describe('the regression test for a property read of undefined', () => {
  const RECEIPTS = `/** Receipts for orders; guests' orders have no customer. */

/** The address a receipt goes to. */
export function receiptEmail(order) {
  return order.customer.email;
}

/** One line per order of a batch: its id and the customer's name. */
export const batchLines = (orders) => orders.map((order) => \`\${order.id} \${order.customer.name}\`);

export async function receiptAddresses({ orders }) {
  const addresses = [];
  for (const order of orders) {
    addresses.push(order.customer.email);
  }
  return addresses;
}

export function cartTotal(cart) {
  let total = 0;
  for (const item of cart.items) total += item.product.price * item.quantity;
  return total;
}

/** The cart's value in cents; an item whose product was deleted counts as 0. */
export function cartValue(cart) {
  let cents = 0;
  for (const item of cart.items) cents += item.product.priceCents * (item.quantity ?? 1);
  return cents;
}
`;
  let repo: string;
  beforeAll(() => {
    repo = tempDir('il-regression-receipts-');
    mkdirSync(path.join(repo, 'src'));
    writeFileSync(path.join(repo, 'package.json'), '{ "type": "module", "scripts": { "test": "node --test" } }\n');
    writeFileSync(path.join(repo, 'src', 'receipts.js'), RECEIPTS);
    git(repo, 'init', '--quiet');
    git(repo, 'add', '-A');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'receipts');
  });
  const frame = (fn: string, line: number, column: number) => [{ function: fn, file: 'src/receipts.js', line, column }];
  const reading = (property: string) => `TypeError: Cannot read properties of undefined (reading '${property}')`;

  it('calls the function with the object undefined and reads it with optional chaining, failing before and passing after', async () => {
    const cases = [
      {
        finding: bugFinding(reading('email'), 'TypeError', frame('receiptEmail', 5, 25)),
        call: 'receiptEmail({})',
        fixed: '  return order.customer?.email;',
      },
      {
        finding: bugFinding(reading('name'), 'TypeError', frame('batchLines', 9, 89)),
        call: 'batchLines([{}])',
        fixed: 'export const batchLines = (orders) => orders.map((order) => `${order.id} ${order.customer?.name}`);',
      },
      {
        finding: bugFinding(reading('email'), 'TypeError', frame('receiptAddresses', 14, 35)),
        call: 'receiptAddresses({ orders: [{}] })',
        fixed: '    addresses.push(order.customer?.email);',
      },
    ];
    for (const { finding, call, fixed } of cases) {
      const drafted = (await regressionTestPatch(finding, readerOf(repo)))!;
      expect(drafted.test, call).toContain(call);
      expect(drafted.patch, call).toContain(`\n+${fixed}\n`);
      expect(drafted.plan, call).toMatch(/reads `order\.customer\?\.(email|name)`/);
      const before = nodeTest(checkoutWith(repo, drafted.patch!, 'test/*'));
      expect(before.passed, call).toBe(false);
      expect(before.output, call).toContain(finding.details!['example'] as string);
      expect(nodeTest(checkoutWith(repo, drafted.patch!)).passed, call).toBe(true);
    }
  }, 60_000);

  it('says where the undefined it lets through feeds arithmetic, rather than pick a number for it', async () => {
    const line = RECEIPTS.split('\n').findIndex((l) => l.includes('item.product.price')) + 1;
    const drafted = (await regressionTestPatch(bugFinding(reading('price'), 'TypeError', frame('cartTotal', line, 60)), readerOf(repo)))!;
    expect(drafted.test).toContain('cartTotal({ items: [{}] })');
    expect(drafted.patch).toContain('+  for (const item of cart.items) total += item.product?.price * item.quantity;\n');
    expect(drafted.plan).toContain(
      'it feeds `*`, where undefined gives NaN, so what a missing value should count as is for the reviewer to say',
    );
  });

  it('takes the fallback the function’s JSDoc gives for the missing object, and the test passes only with it', async () => {
    const line = RECEIPTS.split('\n').findIndex((l) => l.includes('item.product.priceCents')) + 1;
    const finding = bugFinding(reading('priceCents'), 'TypeError', frame('cartValue', line, 60));
    const drafted = (await regressionTestPatch(finding, readerOf(repo)))!;
    expect(drafted.patch).toContain('+  for (const item of cart.items) cents += (item.product?.priceCents ?? 0) * (item.quantity ?? 1);\n');
    expect(drafted.plan).toContain(
      'reads `(item.product?.priceCents ?? 0)`: where `item.product` is undefined or null it is 0 instead of a TypeError, ' +
        'the fallback its JSDoc gives ("The cart\'s value in cents; an item whose product was deleted counts as 0.")',
    );
    expect(nodeTest(checkoutWith(repo, drafted.patch!, 'test/*')).passed).toBe(false);
    expect(nodeTest(checkoutWith(repo, drafted.patch!)).passed).toBe(true);
  }, 60_000);

  it('drafts nothing for a repository that does not run node --test, or a test file already there', async () => {
    const finding = bugFinding(reading('email'), 'TypeError', frame('receiptEmail', 5, 25));
    const read = readerOf(repo);
    const vitest = async (file: string) =>
      file === 'package.json' ? '{ "type": "module", "scripts": { "test": "vitest run" } }' : read(file);
    expect(await regressionTestPatch(finding, vitest)).toBeNull();
    const manifest = (test: string) => async (file: string) =>
      file === 'package.json' ? JSON.stringify({ type: 'module', scripts: { test } }) : read(file);
    // node --test runs only the files it is given: a test under test/ must be among them.
    expect(await regressionTestPatch(finding, manifest('node --test src/'))).toBeNull();
    expect(await regressionTestPatch(finding, manifest('node --test --test-reporter=spec test/'))).not.toBeNull();
    const taken = async (file: string) => (file === 'test/receipt-email.regression.test.js' ? 'test' : read(file));
    expect(await regressionTestPatch(finding, taken)).toBeNull();
    expect(await regressionTestPatch(finding, read)).not.toBeNull();
  });
});
