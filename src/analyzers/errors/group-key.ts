import { shortSha1 } from '../short-hash.ts';
import { isPlaceholder } from './mask.ts';
import type { StackFrame } from './stack-frames.ts';

/**
 * The key of an error group, and so its proposal's fingerprint: the template's first three tokens
 * (any variable part written as <*>) plus where it was thrown in our code. The key must not move
 * when the template generalizes (a second host name turns "Timeout connecting to db-primary" into
 * "Timeout connecting to <*>"), or the same bug would file a second proposal; and the same message
 * thrown from two places is two bugs. Line and column stay out because any edit above the throw
 * moves them.
 */
export function errorGroupKey(template: string, frames: readonly StackFrame[]): string {
  const head = template
    .split(' ')
    .slice(0, 3)
    .map((token) => (token === '<*>' || isPlaceholder(token) || /<[A-Z]+>/.test(token) ? '<*>' : token))
    .join(' ');
  const top = frames[0];
  return shortSha1(`${head}\n${top ? `${top.file}#${top.function}` : ''}`);
}
