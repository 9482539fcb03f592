import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { propertyName, type FunctionNode } from './argument-places.ts';

/**
 * What stands at a stack frame's line in a module: the exported function around it (the one a test
 * can import and call), and the construct that threw there: a `throw new X(`…`)` whose message
 * template the recorded message fits, or a property read of undefined (`item.product.price`).
 */

type Node = ESTree.Node & { parent?: Node };

export interface Culprit {
  /** The name the module exports it under. */
  name: string;
  fn: FunctionNode;
  isAsync: boolean;
  /** Each parameter's name when it is a plain identifier (with or without a default). */
  paramNames: (string | null)[];
}

export function exportedFunctionAt(source: SourceCode, line: number): Culprit | null {
  for (const statement of source.ast.body) {
    if (statement.type !== 'ExportNamedDeclaration' || !statement.declaration) continue;
    const declaration = statement.declaration;
    let name: string | null = null;
    let fn: FunctionNode | null = null;
    if (declaration.type === 'FunctionDeclaration' && declaration.id) [name, fn] = [declaration.id.name, declaration];
    else if (declaration.type === 'VariableDeclaration' && declaration.declarations.length === 1) {
      const [only] = declaration.declarations;
      const init = only!.init;
      if (only!.id.type === 'Identifier' && (init?.type === 'ArrowFunctionExpression' || init?.type === 'FunctionExpression'))
        [name, fn] = [only!.id.name, init];
    }
    if (!fn || !name || fn.generator || line < fn.loc!.start.line || line > fn.loc!.end.line) continue;
    const paramNames = fn.params.map((p) =>
      p.type === 'Identifier' ? p.name : p.type === 'AssignmentPattern' && p.left.type === 'Identifier' ? p.left.name : null,
    );
    return { name, fn, isAsync: fn.async === true, paramNames };
  }
  return null;
}

export interface ThrowSite {
  /** The error class constructed (`TypeError`). */
  errorClass: string;
  /** The message template's fixed parts, cooked, and its expressions. */
  quasis: string[];
  expressions: ESTree.Expression[];
  /** The condition of the `if` whose body throws, when there is one. */
  guard: ESTree.Expression | null;
}

/** The `throw new X(message)` constructed on `line` inside `fn`, its message a template literal or a string. */
export function throwAt(fn: FunctionNode, line: number): ThrowSite | null {
  const found: ThrowSite[] = [];
  walk(fn, (node) => {
    if (node.type !== 'ThrowStatement' || node.argument.type !== 'NewExpression') return;
    const created = node.argument;
    if (created.loc!.start.line !== line || created.callee.type !== 'Identifier') return;
    const message = created.arguments[0];
    let quasis: string[];
    let expressions: ESTree.Expression[] = [];
    if (message?.type === 'TemplateLiteral') {
      if (message.quasis.some((q) => q.value.cooked == null)) return;
      quasis = message.quasis.map((q) => q.value.cooked!);
      expressions = message.expressions as ESTree.Expression[];
    } else if (message?.type === 'Literal' && typeof message.value === 'string') quasis = [message.value];
    else return;
    found.push({ errorClass: created.callee.name, quasis, expressions, guard: guardOf(node as Node) });
  });
  return found.length === 1 ? found[0]! : null;
}

/** The member expression on `line` reading `property` (the one at `column` when several do). */
export function propertyReadAt(fn: FunctionNode, line: number, column: number, property: string): ESTree.MemberExpression | null {
  const found: ESTree.MemberExpression[] = [];
  walk(fn, (node) => {
    if (node.type === 'MemberExpression' && !node.optional && node.property.loc!.start.line === line && propertyName(node) === property)
      found.push(node);
  });
  if (found.length <= 1) return found[0] ?? null;
  // V8's column is 1-based and points at the property read.
  return found.find((m) => m.property.loc!.start.column + 1 === column) ?? null;
}

function guardOf(thrown: Node): ESTree.Expression | null {
  let node = thrown;
  if (node.parent?.type === 'BlockStatement' && node.parent.body.length === 1) node = node.parent;
  const parent = node.parent;
  return parent?.type === 'IfStatement' && parent.consequent === node ? parent.test : null;
}

/** Every node under `root`, parents before children. */
export function walk(root: ESTree.Node, visit: (node: ESTree.Node) => void): void {
  visit(root);
  for (const [key, value] of Object.entries(root)) {
    if (key === 'parent' || !value || typeof value !== 'object') continue;
    for (const child of Array.isArray(value) ? value : [value])
      if (child && typeof child === 'object' && typeof (child as { type?: unknown }).type === 'string') walk(child as ESTree.Node, visit);
  }
}
