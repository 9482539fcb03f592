import type { Place, Step } from './argument-places.ts';

/**
 * The arguments a regression test passes, as source text, built from what the recorded error says
 * about them: values at places (`order.items[].quantity` is 1.5), lengths (`columns.length` is 7:
 * seven placeholder strings), counts of an object's values (`Object.values(row).length` is 6: six
 * keys, the first six of `columns` when a fix reads the row by them). Anything the error does not
 * say is left out: the test shows the inputs that reproduce it and nothing invented beyond them.
 */

export interface Fact {
  place: Place;
  value: unknown;
}

/** The keys of the object whose values `values` counts are the elements of the list at `keys`. */
export interface KeyHint {
  values: Place;
  keys: Place;
}

type Shape =
  | { kind: 'unknown' }
  | { kind: 'value'; value: unknown }
  | { kind: 'object'; fields: Map<string, Shape> }
  | { kind: 'array'; name: string; element?: Shape; length?: number }
  | { kind: 'values'; name: string; count: number; keys?: string[] };

/** A list or object the error says is longer is not written out: the test would be mostly placeholders. */
const MAX_PLACEHOLDERS = 50;

/** Each argument's source text, up to the last one a fact names; null when the facts contradict each other. */
export function argumentTexts(
  facts: readonly Fact[],
  paramNames: readonly (string | null)[],
  hints: readonly KeyHint[] = [],
): string[] | null {
  const args: Shape[] = [];
  for (const fact of facts) {
    const last = fact.place.steps.at(-1);
    const before = fact.place.steps.at(-2);
    // `Object.values(row).length` is a count of keys, which the values step reads itself.
    const isLength =
      last !== undefined && 'key' in last && last.key === 'length' && !(before && 'valuesOf' in before) && isCount(fact.value);
    const steps = isLength ? fact.place.steps.slice(0, -1) : fact.place.steps;
    const name = nameOf(paramNames[fact.place.arg] ?? null, steps);
    const ok = isLength
      ? update(args, fact.place.arg, steps, (s) => withLength(s, fact.value as number, name))
      : update(args, fact.place.arg, steps, (s) =>
          s.kind === 'unknown' || (s.kind === 'value' && s.value === fact.value) ? { kind: 'value', value: fact.value } : null,
        );
    if (!ok) return null;
  }
  for (const hint of hints) {
    const values = shapeAt(args, hint.values);
    const keys = shapeAt(args, hint.keys);
    if (values?.kind === 'values' && keys?.kind === 'array' && !keys.element && (keys.length ?? 0) >= values.count)
      values.keys = placeholders(keys.name, values.count);
  }
  const texts: string[] = [];
  for (let i = 0; i < args.length; i += 1) texts.push(render(args[i] ?? { kind: 'unknown' }));
  return texts;
}

function isCount(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0;
}

function withLength(shape: Shape, length: number, name: string): Shape | null {
  if (length > MAX_PLACEHOLDERS) return null;
  if (shape.kind === 'unknown') return { kind: 'array', name, length };
  if (shape.kind === 'array' && (shape.length === undefined || shape.length === length)) return { ...shape, length };
  return null;
}

/** Applies `change` at the place, creating the objects and arrays on the way; false on a contradiction. */
function update(args: Shape[], arg: number, steps: readonly Step[], change: (shape: Shape) => Shape | null): boolean {
  const result = updateShape(args[arg] ?? { kind: 'unknown' }, steps, change);
  if (!result) return false;
  args[arg] = result;
  return true;
}

function updateShape(shape: Shape, steps: readonly Step[], change: (shape: Shape) => Shape | null): Shape | null {
  const [step, ...rest] = steps;
  if (!step) return change(shape);
  if ('key' in step) {
    if (shape.kind !== 'unknown' && shape.kind !== 'object') return null;
    const fields = shape.kind === 'object' ? shape.fields : new Map<string, Shape>();
    const next = updateShape(fields.get(step.key) ?? { kind: 'unknown' }, rest, change);
    if (!next) return null;
    fields.set(step.key, next);
    return { kind: 'object', fields };
  }
  if ('element' in step) {
    if (shape.kind !== 'unknown' && shape.kind !== 'array') return null;
    const array = shape.kind === 'array' ? shape : { kind: 'array' as const, name: 'item' };
    const element = updateShape(array.element ?? { kind: 'unknown' }, rest, change);
    return element && { ...array, element };
  }
  // The values of an object: only their number is known (`Object.values(row).length`).
  const [count, ...beyond] = rest;
  if (beyond.length || !count || !('key' in count) || count.key !== 'length') return null;
  const counted = change({ kind: 'unknown' });
  if (counted?.kind !== 'value' || !isCount(counted.value)) return null;
  if ((counted.value as number) > MAX_PLACEHOLDERS) return null;
  if (shape.kind !== 'unknown' && !(shape.kind === 'values' && shape.count === counted.value)) return null;
  return { kind: 'values', name: 'value', count: counted.value as number };
}

function shapeAt(args: Shape[], place: Place): Shape | null {
  let shape: Shape | undefined = args[place.arg];
  for (const step of place.steps) {
    if (!shape) return null;
    if ('key' in step) shape = shape.kind === 'object' ? shape.fields.get(step.key) : undefined;
    else if ('element' in step) shape = shape.kind === 'array' ? shape.element : undefined;
    else return shape.kind === 'values' ? shape : null;
  }
  return shape ?? null;
}

function render(shape: Shape): string {
  switch (shape.kind) {
    case 'unknown':
      return 'undefined';
    case 'value':
      return literal(shape.value);
    case 'object': {
      // A key the error says is undefined is a key the object lacks.
      const fields = [...shape.fields].filter(([, v]) => !(v.kind === 'value' && v.value === undefined));
      return fields.length ? `{ ${fields.map(([k, v]) => `${key(k)}: ${render(v)}`).join(', ')} }` : '{}';
    }
    case 'array': {
      const length = shape.length ?? 1;
      const items = shape.element ? Array.from({ length }, () => render(shape.element!)) : placeholders(shape.name, length).map(literal);
      return `[${items.join(', ')}]`;
    }
    case 'values': {
      const keys = shape.keys ?? placeholders('key', shape.count);
      const values = placeholders('value', shape.count);
      return shape.count ? `{ ${keys.map((k, i) => `${key(k)}: ${literal(values[i])}`).join(', ')} }` : '{}';
    }
  }
}

function placeholders(name: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${name}${i + 1}`);
}

/** `columns` → `column`: what one element of a list is called. */
export function singular(name: string): string {
  if (/ies$/.test(name) && name.length > 4) return `${name.slice(0, -3)}y`;
  if (/[^s]s$/.test(name) && name.length > 2) return name.slice(0, -1);
  return name;
}

function nameOf(param: string | null, steps: readonly Step[]): string {
  const lastKey = [...steps].reverse().find((s): s is { key: string } => 'key' in s);
  return singular(lastKey?.key ?? param ?? 'item');
}

/**
 * A JavaScript literal of the value. Strings keep only printable ASCII: anything else, which error
 * messages quote from users (bidi overrides, zero-width spaces), is written as an escape, so the
 * test file shows every character it passes and still passes the exact one.
 */
export function literal(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value !== 'string') return String(value);
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `'${escaped}'`;
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : literal(name);
}
