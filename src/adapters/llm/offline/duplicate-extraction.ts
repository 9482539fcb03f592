import path from 'node:path';
import { Linter, type Rule, type Scope, type SourceCode } from 'eslint';
import type { Finding } from '../../../domain/finding.ts';
import { lineEditsDiff, newFileDiff, type LineEdit } from './line-edits-diff.ts';

/**
 * The extraction of a reported duplicate, drafted without a model, in the one shape that is safe
 * to do mechanically: the copy is a callback passed to a call (`orders.filter((order) => { … })`),
 * word for word the same in both files. Its code moves to a new module as an exported function
 * whose parameters are the callback's own plus the enclosing function's variables it reads, and
 * each copy becomes a call of it. Refused (null) whenever behaviour could change: a callback that
 * assigns an outer variable, reads a module-level binding (an import the new module would lack),
 * uses this, arguments, await, yield or super, has destructured or default parameters, or copies
 * that are not the same text; files that are not ES modules, or a name or file already taken.
 */

export interface DuplicateExtraction {
  patch: string;
  /** The new module and the shared function's name, for the plan. */
  module: string;
  name: string;
}

interface Location {
  file: string;
  startLine: number;
  endLine: number;
}

type FunctionNode = Rule.Node & { type: 'ArrowFunctionExpression' | 'FunctionExpression' };

interface Callback {
  file: string;
  content: string;
  node: FunctionNode;
  /** Callee method (`filter`), first parameter (`order`). */
  method: string;
  params: string[];
  /** Outer variables read, in first-use order. */
  outer: string[];
  text: string;
  lastImportLine: number;
}

const UNSAFE = /\b(?:this|arguments|await|yield|super)\b|new\.target/;
const FILTER_LIKE = new Set(['filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every']);

export async function duplicateExtraction(
  finding: Finding,
  readFile: (file: string) => Promise<string | null>,
): Promise<DuplicateExtraction | null> {
  const locations = (finding.details?.['locations'] ?? null) as Location[] | null;
  if (finding.category !== 'duplication' || !Array.isArray(locations) || locations.length !== 2) return null;
  const [a, b] = locations as [Location, Location];
  if (a.file === b.file || !/\.(?:m?js)$/.test(a.file) || !/\.(?:m?js)$/.test(b.file)) return null;
  const contents = await Promise.all([a, b].map((l) => readFile(l.file).catch(() => null)));
  if (contents.some((c) => c === null)) return null;
  const first = callbackAt(a, contents[0]!);
  const second = callbackAt(b, contents[1]!);
  if (!first || !second) return null;
  const callbacks = [first, second];
  if (normalized(first.text) !== normalized(second.text) || first.method !== second.method) return null;
  if (first.outer.join(',') !== second.outer.join(',')) return null;

  const name = sharedName(first.method, first.params[0]!);
  const module = `${path.posix.dirname(first.file)}/${kebab(name)}.js`;
  if ((await readFile(module).catch(() => null)) !== null) return null;
  if (callbacks.some((c) => new RegExp(`\\b${name}\\b`).test(c.content))) return null;

  const parameters = [...first.params, ...first.outer];
  const moduleText = [
    '/**',
    ` * The \`${first.method}\` callback that ${a.file} and ${b.file}`,
    ' * repeated word for word, kept in one place so that a fix reaches both.',
    ' */',
    `export function ${name}(${parameters.join(', ')}) {`,
    ...bodyLines(first).map((l) => (l ? `  ${l}` : l)),
    '}',
    '',
  ].join('\n');
  const patches = [newFileDiff(module, moduleText)];
  for (const callback of callbacks) {
    const diff = rewrite(callback, name, parameters, module);
    if (!diff) return null;
    patches.push(diff);
  }
  return { patch: patches.join(''), module, name };
}

function callbackAt(location: Location, content: string): Callback | null {
  const parsed = parse(content);
  if (!parsed) return null;
  const { sourceCode, candidates } = parsed;
  if (!sourceCode.ast.body.some((s) => s.type === 'ImportDeclaration' || s.type === 'ExportNamedDeclaration')) return null;
  // The callback the copy is: the largest function argument within the copy's lines (one line of slack).
  const inside = candidates
    .filter((n) => n.loc!.start.line >= location.startLine - 1 && n.loc!.end.line <= location.endLine + 1)
    .sort((x, y) => y.range![1] - y.range![0] - (x.range![1] - x.range![0]));
  const node = inside[0];
  if (!node) return null;
  const copyLines = location.endLine - location.startLine + 1;
  if (node.loc!.end.line - node.loc!.start.line + 1 < 0.7 * copyLines) return null;
  const call = node.parent as Rule.Node & { callee?: { type: string; property?: { type: string; name?: string } } };
  if (call.type !== 'CallExpression' || call.callee?.type !== 'MemberExpression' || call.callee.property?.type !== 'Identifier')
    return null;
  if (!node.params.length || !node.params.every((p) => p.type === 'Identifier')) return null;
  if (node.type === 'FunctionExpression' && (node.id || node.generator)) return null;
  if (node.async) return null;
  const text = content.slice(node.range![0], node.range![1]);
  if (UNSAFE.test(text)) return null;
  const outer = outerVariables(sourceCode.scopeManager.acquire(node as never));
  if (!outer) return null;
  const imports = sourceCode.ast.body.filter((s) => s.type === 'ImportDeclaration');
  return {
    file: location.file,
    content,
    node,
    method: call.callee.property.name!,
    params: node.params.map((p) => (p as { name: string }).name),
    outer,
    text,
    lastImportLine: imports.length ? imports.at(-1)!.loc!.end.line : 0,
  };
}

/** Variables of enclosing functions the callback reads; null when it writes one or reads a module binding. */
function outerVariables(scope: Scope.Scope | null): string[] | null {
  if (!scope) return null;
  const names: string[] = [];
  for (const reference of scope.through) {
    const variable = reference.resolved;
    // A global (Number, Math), implicit or known to the parser: the new module has it too.
    if (!variable || variable.scope.type === 'global') continue;
    if (variable.scope.type === 'module') return null;
    if (reference.isWrite()) return null;
    if (!names.includes(variable.name)) names.push(variable.name);
  }
  return names;
}

function rewrite(callback: Callback, name: string, parameters: string[], module: string): string | null {
  const { content, node } = callback;
  const lines = content.split('\n');
  const startLine = node.loc!.start.line;
  const endLine = node.loc!.end.line;
  const lineStart = content.lastIndexOf('\n', node.range![0] - 1) + 1;
  const lineEnd = content.indexOf('\n', node.range![1]);
  const before = content.slice(lineStart, node.range![0]);
  const after = content.slice(node.range![1], lineEnd < 0 ? content.length : lineEnd);
  const call = `(${callback.params.join(', ')}) => ${name}(${parameters.join(', ')})`;
  let specifier = path.posix.relative(path.posix.dirname(callback.file), module);
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  const edits: LineEdit[] = [
    { from: callback.lastImportLine + 1, count: 0, lines: [`import { ${name} } from '${specifier}';`] },
    { from: startLine, count: endLine - startLine + 1, lines: [`${before}${call}${after}`] },
  ];
  if (lines.length < endLine) return null;
  return lineEditsDiff(callback.file, content, edits);
}

/** The callback's body as statements without their common indentation. */
function bodyLines(callback: Callback): string[] {
  const body = callback.node.body;
  if (body.type !== 'BlockStatement') return [`return ${callback.content.slice(body.range![0], body.range![1])};`];
  const inner = callback.content.slice(body.range![0] + 1, body.range![1] - 1).split('\n');
  while (inner.length && !inner[0]!.trim()) inner.shift();
  while (inner.length && !inner.at(-1)!.trim()) inner.pop();
  const indent = Math.min(...inner.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
  return inner.map((l) => (l.trim() ? l.slice(indent).trimEnd() : ''));
}

function normalized(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .join('\n');
}

/** `filter` of `order` → `orderMatches`; `map` of `row` → `mapRow`. */
function sharedName(method: string, param: string): string {
  return FILTER_LIKE.has(method) ? `${param}Matches` : `${method}${param.charAt(0).toUpperCase()}${param.slice(1)}`;
}

function kebab(name: string): string {
  return name.replace(/([a-z\d])([A-Z])/g, '$1-$2').toLowerCase();
}

const linter = new Linter({ configType: 'flat' });
let captured: { sourceCode: SourceCode; candidates: FunctionNode[] } | undefined;

const capture: Rule.RuleModule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const candidates: FunctionNode[] = [];
    const collect = (node: Rule.Node) => {
      if (node.parent?.type === 'CallExpression' && (node.parent as { arguments: unknown[] }).arguments.includes(node))
        candidates.push(node as FunctionNode);
    };
    return {
      ArrowFunctionExpression: collect,
      FunctionExpression: collect,
      'Program:exit'() {
        captured = { sourceCode: context.sourceCode, candidates };
      },
    };
  },
};

/** The module's AST, scopes and function arguments, as ESLint parses it; null when it does not parse. */
function parse(content: string): { sourceCode: SourceCode; candidates: FunctionNode[] } | null {
  captured = undefined;
  const messages = linter.verify(
    content,
    [
      {
        files: ['**/*.js'],
        languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
        plugins: { extract: { rules: { capture } } },
        rules: { 'extract/capture': 'error' },
      },
    ],
    'module.js',
  );
  if (messages.some((m) => m.fatal)) return null;
  return captured ?? null;
}
