import { shortSha1 } from '../short-hash.ts';
import { stem } from './text-vectors.ts';

/**
 * A theme's identity across cycles: the short SHA-1 of its label's stems in alphabetical order.
 * Sorted, because the order of a label follows small weight differences that move from one week
 * to the next, and stems, so "exports" this week and "export" next week are the same theme.
 * Cluster ids and input positions play no part: shuffled input gives the same key.
 */
export function themeKey(label: readonly string[]): string {
  return shortSha1(stableStems(label).join(' '));
}

export function stableStems(label: readonly string[]): string[] {
  return [...new Set(label.map((word) => stem(word.toLowerCase())))].sort();
}
