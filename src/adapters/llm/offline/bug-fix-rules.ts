import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { objectValuesArgument, placeOf, type FunctionNode } from './argument-places.ts';
import type { KeyHint } from './argument-values.ts';
import { singular } from './argument-values.ts';

/**
 * The fixes that follow from the code at the failing line and the error alone, each a text edit of
 * the module and a sentence for the plan saying what it changes. A bug whose fix is a decision (a
 * check that throws on purpose, a timeout) gets none: the writer does not guess.
 */

export interface DerivedFix {
  /** The module's text with the fix. */
  after: string;
  /** What the fix does, for the plan. */
  says: string;
  hints: KeyHint[];
}

/**
 * `Cannot read properties of undefined (reading 'price')` at `item.product.price`: read it as
 * `item.product?.price`, so a missing `product` gives undefined there instead of a TypeError; or as
 * `(item.product?.price ?? 0)` when the function's JSDoc gives the fallback ("an item without a
 * product counts as 0"). Refused where optional chaining is not allowed (the target of an
 * assignment, `new`, a tagged template).
 */
export function optionalChainFix(source: SourceCode, culprit: FunctionNode, member: ESTree.MemberExpression): DerivedFix | null {
  const parent = (member as ESTree.MemberExpression & { parent?: ESTree.Node }).parent;
  if (!parent) return null;
  if (parent.type === 'AssignmentExpression' && parent.left === member) return null;
  if (parent.type === 'UpdateExpression' || (parent.type === 'UnaryExpression' && parent.operator === 'delete')) return null;
  if ((parent.type === 'NewExpression' && parent.callee === member) || parent.type === 'TaggedTemplateExpression') return null;
  if (parent.type === 'ForOfStatement' || parent.type === 'ForInStatement') return null;
  const text = source.text;
  const between = text.slice(member.object.range![1], member.property.range![0]);
  const dot = member.computed ? between.indexOf('[') : between.indexOf('.');
  if (dot < 0) return null;
  // `a.b` becomes `a?.b`, `a[k]` becomes `a?.[k]`.
  const insert = member.computed ? '?.' : '?';
  const at = member.object.range![1] + dot;
  const chained = `${text.slice(member.range![0], at)}${insert}${text.slice(at, member.range![1])}`;
  const object = source.getText(member.object);
  // A value read on (`a.b.c`) or called (`a.b()`) cannot take a fallback in its place.
  const isValue =
    !(parent.type === 'MemberExpression' && parent.object === member) && !(parent.type === 'CallExpression' && parent.callee === member);
  const fallback = isValue ? documentedFallback(source, culprit, lastName(member.object)) : null;
  const read = fallback ? `(${chained} ?? ${fallback.value})` : chained;
  const after = `${text.slice(0, member.range![0])}${read}${text.slice(member.range![1])}`;
  const shown = read.replace(/\s+/g, ' ');
  if (fallback)
    return {
      after,
      says: `reads \`${shown}\`: where \`${object}\` is undefined or null it is ${fallback.value} instead of a TypeError, the fallback its JSDoc gives ("${fallback.sentence}")`,
      hints: [],
    };
  // Undefined in arithmetic is NaN, not a fallback: the plan says so rather than pick a number.
  const arithmetic = parent.type === 'BinaryExpression' && ['*', '/', '-', '%', '**'].includes(parent.operator);
  const caveat = arithmetic
    ? `; it feeds \`${parent.operator}\`, where undefined gives NaN, so what a missing value should count as is for the reviewer to say`
    : '';
  return {
    after,
    says: `reads \`${shown}\`: where \`${object}\` is undefined or null the expression is undefined instead of throwing a TypeError${caveat}`,
    hints: [],
  };
}

const FALLBACK_PHRASE =
  /\b(?:counts? as|defaults? to|falls? back to|is taken as)\s+(-?\d+(?:\.\d+)?|'[^'\n]*'|"[^"\n]*"|null|an empty string)/i;

/** The value the culprit's JSDoc says stands in when `name` is missing: a sentence naming it and the fallback. */
function documentedFallback(source: SourceCode, culprit: FunctionNode, name: string | null): { value: string; sentence: string } | null {
  if (!name) return null;
  let statement: ESTree.Node & { parent?: ESTree.Node } = culprit;
  while (statement.parent && statement.parent.type !== 'Program') statement = statement.parent;
  const doc = source
    .getCommentsBefore(statement)
    .filter((c) => c.type === 'Block' && c.value.startsWith('*'))
    .at(-1);
  if (!doc) return null;
  const prose = doc.value
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => !l.startsWith('@'))
    .join(' ');
  for (const sentence of prose.split(/(?<=\.)\s+/)) {
    const phrase = FALLBACK_PHRASE.exec(sentence);
    if (!phrase || !new RegExp(`\\b${name}\\b`, 'i').test(sentence)) continue;
    const said = phrase[1]!;
    const value = /^an empty string$/i.test(said) ? "''" : said.startsWith('"') ? `'${said.slice(1, -1).replace(/'/g, "\\'")}'` : said;
    return { value, sentence: sentence.trim() };
  }
  return null;
}

function lastName(node: ESTree.Node): string | null {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') return node.property.name;
  return null;
}

/**
 * A count check between `Object.values(row)` and `columns.length` that throws: the row's values are
 * taken in whatever number and order its keys have, while the columns say which it should have.
 * Reading them by the columns (`columns.map((column) => row[column])`) gives one value per column
 * in the columns' order, a missing one undefined, so the check can no longer fail.
 */
export function valuesByKeysFix(source: SourceCode, culprit: FunctionNode, guard: ESTree.Expression | null): DerivedFix | null {
  if (guard?.type !== 'BinaryExpression' || (guard.operator !== '!==' && guard.operator !== '!=')) return null;
  const left = lengthOf(guard.left);
  const right = lengthOf(guard.right);
  if (!left || !right) return null;
  const sides = [left, right];
  const call = sides.map((s) => valuesCall(s, source));
  const which = call[0] && !call[1] ? 0 : call[1] && !call[0] ? 1 : -1;
  if (which < 0) return null;
  const values = call[which]!;
  const keys = sides[1 - which]!;
  const row = objectValuesArgument(values)!;
  if (!isPlainChain(row) || !isPlainChain(keys)) return null;
  const rowPlace = placeOf(row, source, culprit);
  const keysPlace = placeOf(keys, source, culprit);
  const keysText = source.getText(keys);
  const rowText = source.getText(row);
  const lastName =
    keys.type === 'Identifier'
      ? keys.name
      : keys.type === 'MemberExpression' && !keys.computed && keys.property.type === 'Identifier'
        ? keys.property.name
        : 'key';
  let element = singular(lastName);
  if (element === lastName || new RegExp(`\\b${element}\\b`).test(source.getText(culprit))) element = 'key';
  const replacement = `${keysText}.map((${element}) => ${rowText}[${element}])`;
  const after = `${source.text.slice(0, values.range![0])}${replacement}${source.text.slice(values.range![1])}`;
  return {
    after,
    says:
      `takes the values as \`${replacement}\` instead of \`${source.getText(values)}\`: one per entry of \`${keysText}\`, in its order, ` +
      `undefined where \`${rowText}\` lacks one, so the count check \`${source.getText(guard)}\` can no longer fail (it stays, for a reviewer to remove)`,
    hints: rowPlace && keysPlace ? [{ values: { ...rowPlace, steps: [...rowPlace.steps, { valuesOf: true }] }, keys: keysPlace }] : [],
  };
}

/** `X` of `X.length`. */
function lengthOf(node: ESTree.Node): ESTree.Expression | null {
  if (node.type !== 'MemberExpression' || node.computed || node.optional) return null;
  return node.property.type === 'Identifier' && node.property.name === 'length' ? (node.object as ESTree.Expression) : null;
}

/** The `Object.values(R)` call a side is, or the one a `const` it names was set from. */
function valuesCall(node: ESTree.Expression, source: SourceCode): ESTree.CallExpression | null {
  if (objectValuesArgument(node)) return node as ESTree.CallExpression;
  if (node.type !== 'Identifier') return null;
  let variable = null;
  for (let scope: ReturnType<SourceCode['getScope']> | null = source.getScope(node); scope && !variable; scope = scope.upper)
    variable = scope.set.get(node.name) ?? null;
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type !== 'Variable' || (def.parent as ESTree.VariableDeclaration).kind !== 'const') return null;
  const init = (def.node as ESTree.VariableDeclarator).init;
  return init && objectValuesArgument(init) ? (init as ESTree.CallExpression) : null;
}

/** An identifier or a chain of named properties: evaluating it again has no effect. */
function isPlainChain(node: ESTree.Node): boolean {
  if (node.type === 'Identifier') return true;
  return node.type === 'MemberExpression' && !node.computed && !node.optional && isPlainChain(node.object);
}
