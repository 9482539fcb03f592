import { describe, expect, it } from 'vitest';
import { readFunctionFacts, type FunctionFacts } from '../../../src/analyzers/code-quality/function-facts.ts';

function facts(code: string, file = 'src/x.js'): Record<string, Omit<FunctionFacts, 'name' | 'line' | 'endLine'>> {
  const parsed = readFunctionFacts(code, file);
  if (!parsed.ok) throw new Error(parsed.error);
  return Object.fromEntries(parsed.functions.map(({ name, line: _l, endLine: _e, ...rest }) => [name, rest]));
}

describe('reading the functions of a JavaScript file', () => {
  it('names ESM exports, tells documented from undocumented, and counts complexity like ESLint', () => {
    expect(
      facts(`
/** Doc. */
export function documented(a) { if (a) return 1; return a ? 2 : 3; }
export function plain(a, b = 2) { return a && b || 0; }
export const arrow = (x) => x?.y;
const local = function () {};
/** Listed below. */
const viaList = () => 1;
function listed() {}
export { viaList, listed as renamed };
export default function () {}
`),
    ).toEqual({
      documented: { complexity: 3, exported: true, documented: true },
      plain: { complexity: 4, exported: true, documented: false },
      arrow: { complexity: 2, exported: true, documented: false },
      local: { complexity: 1, exported: false, documented: false },
      viaList: { complexity: 1, exported: true, documented: true },
      listed: { complexity: 1, exported: true, documented: false },
      default: { complexity: 1, exported: true, documented: false },
    });
  });

  it('names methods, object members, nested functions and callbacks without line numbers', () => {
    const names = Object.keys(
      facts(`
class Cart { add(item) { if (item) { return [item].map((i) => i && 1); } } static #secret() {} field = (x) => x || 1; }
const api = { get(id) { return id; }, nested: { deep: () => 1 } };
function outer() { app.get('/x', function (req) { return req; }); function inner() {} }
const anon = [1].map(() => 1), again = [2].map(() => 2);
`),
    );
    expect(names).toEqual([
      'Cart.add',
      'Cart.add>[item].map callback',
      'Cart.#secret',
      'Cart.field',
      'api.get',
      'api.nested.deep',
      'outer',
      'outer>app.get callback',
      'outer>inner',
      '[1].map callback',
      '[2].map callback',
    ]);
  });

  it('joins complexity to methods, class fields and arrows as ESLint reports them', () => {
    const all = facts(`
class Cart { add(item) { if (item) { if (item.x) return 1; } return 0; } field = (x) => x || (x && 1); }
const api = { get(id) { return id ? id : null; } };
`);
    expect(all['Cart.add']?.complexity).toBe(3);
    expect(all['Cart.field']?.complexity).toBe(3);
    expect(all['api.get']?.complexity).toBe(2);
  });

  it('reads CommonJS exports: module.exports members, exports.x and module.exports = { ... }', () => {
    expect(
      facts(
        `
'use strict';
/** Formats. */
module.exports.format = function (x) { return x; };
exports.parse = (s) => s;
/** Helps. */
function helper() { return 1; }
function hidden() { return 2; }
function open() { return 3; }
module.exports = { helper, open, inline(a) { return a; } };
`,
        'src/x.cjs',
      ),
    ).toEqual({
      'module.exports.format': { complexity: 1, exported: true, documented: true },
      'exports.parse': { complexity: 1, exported: true, documented: false },
      helper: { complexity: 1, exported: true, documented: true },
      hidden: { complexity: 1, exported: false, documented: false },
      open: { complexity: 1, exported: true, documented: false },
      'module.exports.inline': { complexity: 1, exported: true, documented: false },
    });
  });

  it('reads JSX in .jsx files, script code with a top-level return, and reports what it cannot parse', () => {
    expect(readFunctionFacts('export const A = () => <div/>;', 'src/a.jsx').ok).toBe(true);
    expect(readFunctionFacts('if (x) return;\nfunction f() {}', 'src/a.js').ok).toBe(true);
    expect(readFunctionFacts('let x = ;', 'src/a.js')).toEqual({ ok: false, error: 'line 1: Parsing error: Unexpected token ;' });
  });
});
