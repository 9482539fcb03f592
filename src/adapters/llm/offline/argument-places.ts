import type { Scope, SourceCode } from 'eslint';
import type * as ESTree from 'estree';

/**
 * Where a value the culprit reads comes from in its arguments: `item.quantity` inside
 * `for (const item of order.items)` of `formatOrderTotal(order)` is argument 0, key `items`, an
 * element, key `quantity`. Followed through parameters (destructured ones too), for-of variables,
 * the element parameter of array callbacks (`items.map((item) => …)`), `const values =
 * Object.values(row)`, and `const wanted = email.trim().toLowerCase()` (string methods a recorded
 * value has already been through). Anything else (a call's result, a module constant) has no place.
 */

export type Step = { key: string } | { element: true } | { valuesOf: true };

export interface Place {
  arg: number;
  steps: Step[];
}

type Node = ESTree.Node & { parent?: Node };
export type FunctionNode = (ESTree.FunctionDeclaration | ESTree.FunctionExpression | ESTree.ArrowFunctionExpression) & {
  parent?: Node;
};

const ELEMENT_CALLBACKS = new Set(['map', 'forEach', 'filter', 'find', 'findIndex', 'findLast', 'some', 'every', 'flatMap']);
const IDEMPOTENT_STRING_METHODS = new Set(['trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'normalize']);

export function placeOf(expression: ESTree.Node, source: SourceCode, culprit: FunctionNode): Place | null {
  const node = expression as Node;
  if (node.type === 'MemberExpression') {
    if (node.optional) return null;
    const key = propertyName(node);
    const object = key === null ? null : placeOf(node.object, source, culprit);
    return object && { arg: object.arg, steps: [...object.steps, { key: key! }] };
  }
  if (node.type !== 'Identifier') return null;
  const variable = resolve(source.getScope(node), node.name);
  const def = variable?.defs[0];
  if (!variable || variable.defs.length !== 1 || !def) return null;
  if (def.type === 'Parameter') {
    const fn = def.node as FunctionNode;
    if (fn === culprit) return parameterPlace(def.name as Node, culprit);
    // The element parameter of an array callback: `order.items.map((item) => …)`.
    const call = fn.parent;
    if (call?.type !== 'CallExpression' || call.arguments[0] !== fn || fn.params[0] !== def.name) return null;
    const callee = call.callee;
    if (callee.type !== 'MemberExpression' || !ELEMENT_CALLBACKS.has(propertyName(callee) ?? '')) return null;
    return withStep(placeOf(callee.object, source, culprit), { element: true });
  }
  if (def.type !== 'Variable') return null;
  const declarator = def.node as ESTree.VariableDeclarator & { parent: Node };
  const declaration = declarator.parent as ESTree.VariableDeclaration & { parent: Node };
  if (declarator.id !== (def.name as ESTree.Node)) return null;
  if (declaration.parent.type === 'ForOfStatement' && declaration.parent.left === declaration)
    return withStep(placeOf(declaration.parent.right, source, culprit), { element: true });
  if (declaration.kind !== 'const' || !declarator.init) return null;
  const init = declarator.init;
  const values = objectValuesArgument(init);
  if (values) return withStep(placeOf(values, source, culprit), { valuesOf: true });
  const passedThrough = stringMethodTarget(init);
  return passedThrough ? placeOf(passedThrough, source, culprit) : null;
}

/** `R` of `Object.values(R)`, or null. */
export function objectValuesArgument(node: ESTree.Node): ESTree.Node | null {
  if (node.type !== 'CallExpression' || node.arguments.length !== 1 || node.optional) return null;
  const callee = node.callee;
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier' || callee.object.name !== 'Object') return null;
  return propertyName(callee) === 'values' ? (node.arguments[0] as ESTree.Node) : null;
}

/** The property a member expression reads, when the code names it (`a.b`, `a['b']`). */
export function propertyName(node: ESTree.MemberExpression): string | null {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.computed && node.property.type === 'Literal' && typeof node.property.value === 'string') return node.property.value;
  return null;
}

function stringMethodTarget(node: ESTree.Node): ESTree.Node | null {
  let current = node;
  let calls = 0;
  while (current.type === 'CallExpression' && current.arguments.length === 0 && current.callee.type === 'MemberExpression') {
    if (!IDEMPOTENT_STRING_METHODS.has(propertyName(current.callee) ?? '')) return null;
    current = current.callee.object;
    calls += 1;
  }
  return calls > 0 ? current : null;
}

/** The argument, and the keys of the patterns around it, a parameter binding names: `({ query })` → argument 0, key query. */
function parameterPlace(name: Node, culprit: FunctionNode): Place | null {
  const steps: Step[] = [];
  let node: Node = name;
  for (;;) {
    const parent = node.parent;
    if (!parent) return null;
    if (parent === (culprit as Node)) {
      const arg = culprit.params.indexOf(node as ESTree.Pattern);
      return arg < 0 ? null : { arg, steps };
    }
    if (parent.type === 'AssignmentPattern' && parent.left === node) node = parent;
    else if (parent.type === 'Property' && parent.value === node && parent.parent?.type === 'ObjectPattern') {
      const key = !parent.computed && parent.key.type === 'Identifier' ? parent.key.name : null;
      if (key === null) return null;
      steps.unshift({ key });
      node = parent.parent;
    } else return null;
  }
}

function resolve(scope: Scope.Scope | null, name: string): Scope.Variable | null {
  for (let s = scope; s; s = s.upper) {
    const found = s.set.get(name);
    if (found) return found;
  }
  return null;
}

function withStep(place: Place | null, step: Step): Place | null {
  return place && { arg: place.arg, steps: [...place.steps, step] };
}
