import type { Finding } from '../../../domain/finding.ts';
import { insertionDiff } from './insertion-diff.ts';

export interface JsDocPatch {
  patch: string;
  /** The comment's lines, as inserted (for the proposal's plan). */
  comment: string[];
}

/** How far above the function's first line its export statement may start (`export const x =\n  (a) =>`). */
const EXPORT_LOOKBACK = 3;

/**
 * The JSDoc an undocumented export gets without a model: a sentence made from its name, one @param
 * per parameter as the signature spells it, and @returns when it returns a value. It states only
 * what the code shows; the reviewer is asked to say more before approving. null when the file no
 * longer reads as the finding described (moved, renamed, or documented meanwhile).
 */
export function jsdocPatch(finding: Finding, content: string): JsDocPatch | null {
  const facts = docFacts(finding);
  if (!facts) return null;
  const lines = content.split('\n');
  const start = exportLine(lines, facts.line, facts.name);
  if (start === null) return null;
  // Already documented at HEAD (a JSDoc block ends right above): nothing to add.
  if (/\*\/\s*$/.test(lines[start - 2] ?? '')) return null;
  const source = lines.slice(start - 1, facts.endLine).join('\n');
  const signature = parameterList(source, facts.name);
  if (signature === null) return null;
  const indent = /^\s*/.exec(lines[start - 1]!)![0];
  const comment = commentLines(facts.name, signature, returnsValue(source), /\basync\b/.test(source.slice(0, source.indexOf('('))));
  return {
    patch: insertionDiff(
      facts.file,
      content,
      start,
      comment.map((l) => `${indent}${l}`),
    ),
    comment,
  };
}

interface DocFacts {
  file: string;
  name: string;
  line: number;
  endLine: number;
}

function docFacts(finding: Finding): DocFacts | null {
  const d = finding.details ?? {};
  if (finding.category !== 'docs') return null;
  const { file, function: name, line, endLine } = d as Record<string, unknown>;
  if (typeof file !== 'string' || typeof name !== 'string' || typeof line !== 'number' || typeof endLine !== 'number') return null;
  // Members (`Cart.add`) and callbacks (`a>b callback`) have no declaration line of their own to sit above.
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return null;
  return { file, name, line, endLine };
}

/** The 1-based line the export statement of `name` starts on, at or a little above `line`. */
function exportLine(lines: string[], line: number, name: string): number | null {
  for (let l = line; l >= Math.max(1, line - EXPORT_LOOKBACK); l -= 1) {
    const text = lines[l - 1];
    if (text === undefined) return null;
    if (/^\s*export\b/.test(text) && new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`).test(text)) return l;
  }
  return null;
}

/** The parameters' source texts, split at top-level commas; null when no parameter list is found. */
function parameterList(source: string, name: string): string[] | null {
  const afterName = source.indexOf(name);
  const open = source.indexOf('(', afterName);
  if (afterName < 0 || open < 0) return null;
  const parameters: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = open + 1; i < source.length; i += 1) {
    const c = source[i]!;
    if (c === ')' && depth === 0) {
      if (current.trim()) parameters.push(current.trim());
      return parameters;
    }
    if ('([{'.includes(c)) depth += 1;
    if (')]}'.includes(c)) depth -= 1;
    if (c === ',' && depth === 0) {
      parameters.push(current.trim());
      current = '';
    } else current += c;
  }
  return null;
}

function returnsValue(source: string): boolean {
  return /\breturn\s+[^;\s]/.test(source) || /=>\s*[^{\s]/.test(source.slice(0, source.indexOf('{') + 1 || undefined));
}

/** `rankProducts` → "Rank products." */
function sentenceFrom(name: string): string {
  const words = name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/[_$]+/g, ' ')
    .trim()
    .toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
}

function paramTag(parameter: string, position: number): string {
  const rest = parameter.startsWith('...');
  const bare = parameter.replace(/^\.\.\./, '');
  const [target, fallback] = splitDefault(bare);
  const named = /^[A-Za-z_$][\w$]*$/.test(target) ? target : `arg${position + 1}`;
  const destructured = named !== target ? ` - fields ${target.replace(/\s+/g, ' ')}` : '';
  const spelled = rest ? `...${named}` : fallback !== undefined ? `[${named}=${fallback}]` : named;
  return `@param ${spelled}${destructured}`;
}

function splitDefault(parameter: string): [string, string | undefined] {
  let depth = 0;
  for (let i = 0; i < parameter.length; i += 1) {
    const c = parameter[i]!;
    if ('([{'.includes(c)) depth += 1;
    if (')]}'.includes(c)) depth -= 1;
    if (c === '=' && depth === 0 && parameter[i + 1] !== '>') return [parameter.slice(0, i).trim(), parameter.slice(i + 1).trim()];
  }
  return [parameter.trim(), undefined];
}

function commentLines(name: string, parameters: string[], returns: boolean, isAsync: boolean): string[] {
  const tags = parameters.map(paramTag);
  if (returns || isAsync) tags.push(isAsync ? '@returns {Promise}' : '@returns');
  return ['/**', ` * ${sentenceFrom(name)}`, ...(tags.length ? [' *', ...tags.map((t) => ` * ${t}`)] : []), ' */'];
}
