import { median } from './robust-statistics.ts';

/**
 * A Hampel filter: a value further than `threshold` from the median of the `halfWidth` values on
 * either side is replaced by that median. With a half-width of 2, a run of one or two outlying
 * values is removed and a run of three or more (a level shift, however short) is kept, because it
 * then holds the window's median itself. Windows shrink at the ends, so the last three values of a
 * series still count as a new level.
 */
export function despiked(values: readonly number[], threshold: number, halfWidth = 2): number[] {
  return values.map((value, i) => {
    const window = values.slice(Math.max(0, i - halfWidth), Math.min(values.length, i + halfWidth + 1));
    const center = median(window);
    return Math.abs(value - center) > threshold ? center : value;
  });
}
