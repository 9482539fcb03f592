import { median } from './robust-statistics.ts';

/**
 * A Hampel filter: a value further than `threshold` from the median of the 2·halfWidth + 1 values
 * around it is replaced by that median. With a half-width of 2, a run of one or two outlying values
 * is removed and a run of three or more (a level shift, however short) is kept, because it then
 * holds the window's median itself. At the ends the window slides inwards rather than shrinking,
 * so the same holds there: two high values at the end are spikes, three are a new level.
 */
export function despiked(values: readonly number[], threshold: number, halfWidth = 2): number[] {
  const width = Math.min(values.length, 2 * halfWidth + 1);
  return values.map((value, i) => {
    const start = Math.min(Math.max(0, i - halfWidth), values.length - width);
    const center = median(values.slice(start, start + width));
    return Math.abs(value - center) > threshold ? center : value;
  });
}
