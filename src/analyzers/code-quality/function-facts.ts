import { Linter, type Rule, type SourceCode } from 'eslint';
import { exportTarget, functionName } from './function-names.ts';

/** One function of a JavaScript file, as ESLint's parse and its `complexity` rule see it. */
export interface FunctionFacts {
  /** Stable across edits that move it: `formatTotal`, `Cart.add`, `handler>app.get callback`. */
  name: string;
  line: number;
  endLine: number;
  /** Cyclomatic complexity, as ESLint's `complexity` rule counts it. */
  complexity: number;
  /** Part of the module's public surface (ESM export or CommonJS exports). */
  exported: boolean;
  /** A `/** … *\/` block comment sits right before it (or before its export statement). */
  documented: boolean;
}

export type ParsedSource = { ok: true; functions: FunctionFacts[] } | { ok: false; error: string };

interface Collected {
  functions: (Omit<FunctionFacts, 'complexity'> & { headKey: string })[];
}

const linter = new Linter({ configType: 'flat' });
// The rule below runs inside linter.verify, which is synchronous: `collecting` is the current file's.
let collecting: Collected | undefined;

const inventory: Rule.RuleModule = {
  meta: { type: 'suggestion', schema: [] },
  create(context) {
    const sourceCode = context.sourceCode;
    const names = new Map<string, number>();
    return {
      ':function'(node: Rule.Node) {
        let name = functionName(node, sourceCode);
        const seen = names.get(name) ?? 0;
        names.set(name, seen + 1);
        if (seen > 0) name = `${name}#${seen + 1}`;
        const target = exportTarget(node);
        collecting?.functions.push({
          name,
          line: node.loc?.start.line ?? 0,
          endLine: node.loc?.end.line ?? 0,
          exported: target !== undefined,
          documented: target !== undefined && hasJsDoc(target, sourceCode),
          headKey: headKey(node, sourceCode),
        });
      },
    };
  },
};

/**
 * Parses one JavaScript file with ESLint's own parser (espree) and runs the built-in `complexity`
 * rule with a maximum of 0, so it reports every function with its number, next to our inventory
 * rule that names each function and tells whether it is exported and documented.
 */
export function readFunctionFacts(code: string, filename: string): ParsedSource {
  const jsx = filename.endsWith('.jsx');
  const kinds: Linter.SourceType[] = filename.endsWith('.cjs')
    ? ['commonjs']
    : filename.endsWith('.mjs')
      ? ['module']
      : ['module', 'commonjs'];
  let lastError = 'not parsed';
  for (const sourceType of kinds) {
    collecting = { functions: [] };
    try {
      const messages = linter.verify(
        code,
        [
          {
            files: ['**/*'],
            languageOptions: { ecmaVersion: 'latest', sourceType, parserOptions: { ecmaFeatures: { jsx } } },
            plugins: { quality: { rules: { inventory } } },
            rules: { complexity: ['error', { max: 0 }], 'quality/inventory': 'error' },
          },
        ],
        { filename },
      );
      const fatal = messages.find((m) => m.fatal);
      if (fatal) {
        lastError = `line ${fatal.line}: ${fatal.message}`;
        continue;
      }
      return { ok: true, functions: withComplexity(collecting, messages) };
    } finally {
      collecting = undefined;
    }
  }
  return { ok: false, error: lastError };
}

/**
 * Joins the rule's reports to our functions by where the rule reports: the function's "head"
 * (ESLint's getFunctionHeadLoc: the key of a method or property, the `=>` of an arrow, else the
 * function's start), keyed with the node type the report names.
 */
function withComplexity(collected: Collected, messages: Linter.LintMessage[]): FunctionFacts[] {
  const complexity = new Map<string, number>();
  for (const m of messages) {
    const value = m.ruleId === 'complexity' ? /complexity of (\d+)/.exec(m.message)?.[1] : undefined;
    if (value) complexity.set(`${m.nodeType}:${m.line}:${m.column}`, Number(value));
  }
  return collected.functions.map(({ headKey: key, ...facts }) => ({ ...facts, complexity: complexity.get(key) ?? 1 }));
}

function headKey(node: Rule.Node, sourceCode: SourceCode): string {
  const parent = node.parent;
  let start = node.loc?.start;
  if (parent && ['Property', 'MethodDefinition', 'PropertyDefinition'].includes(parent.type)) {
    start = parent.loc?.start;
  } else if (node.type === 'ArrowFunctionExpression') {
    start = sourceCode.getTokenBefore(node.body as Rule.Node, { filter: (t) => t.value === '=>' })?.loc.start ?? start;
  }
  return `${node.type}:${start?.line}:${(start?.column ?? 0) + 1}`;
}

function hasJsDoc(node: Rule.Node, sourceCode: SourceCode): boolean {
  const comments = sourceCode.getCommentsBefore(node);
  const last = comments[comments.length - 1];
  return last !== undefined && last.type === 'Block' && last.value.startsWith('*');
}
