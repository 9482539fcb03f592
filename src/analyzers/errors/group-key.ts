import { shortSha1 } from '../short-hash.ts';
import type { StackFrame } from './stack-frames.ts';

/**
 * The key of an error group: its message template plus where it was thrown in our code. The same
 * message thrown from two places is two bugs; the same place with a reworded message is one bug
 * only if the template matches, which is the conservative side. Line and column stay out of the
 * key because any edit above the throw moves them, and a fingerprint must survive unrelated edits.
 */
export function errorGroupKey(template: string, frames: readonly StackFrame[]): string {
  const top = frames[0];
  const where = top ? `${top.file}#${top.function}` : '';
  return shortSha1(`${template}\n${where}`);
}
