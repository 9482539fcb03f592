import { SAMPLE_END } from './planted.ts';

/**
 * Where the bundled sample ends. 'today' keeps it current: its rows are shifted (in the DuckDB
 * views, see TimeShift) so the last day is yesterday and `cycle --type=daily` finds the planted
 * problems now. A fixed ISO day pins it for reproducible runs; SAMPLE_END (2026-01-31), the day the
 * generator writes, reads the files as they are.
 */
export type SampleEnd = Date | 'today';

/**
 * The setting as given, else the default: 'today', except under a test runner (NODE_ENV=test, which
 * vitest sets), where the tests' `--as-of 2026-01-31` must keep reading the planted problems.
 */
export function resolveSampleEnd(setting: string | undefined, env: { NODE_ENV?: string | undefined }): SampleEnd {
  const value = setting?.trim() || (env.NODE_ENV === 'test' ? SAMPLE_END.toISOString() : 'today');
  if (value.toLowerCase() === 'today') return 'today';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`SAMPLE_END must be 'today' or an ISO date, got ${value}`);
  return date;
}
