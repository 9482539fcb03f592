import type { Capped, ErrorMessageCount } from '../../../ports/warehouse.ts';
import { cappedRows } from '../../../ports/warehouse.ts';
import type { ErrorOccurrence } from './error-entry.ts';

/**
 * Counting and merging error messages with the warehouse's conventions (test/helpers/memory-warehouse.ts):
 * grouped by (message, endpoint) with a null endpoint its own group, the latest occurrence's stack,
 * ordered by count desc, last seen desc, message, endpoint, capped after ordering.
 */

function keyOf(row: { message: string; endpoint: string | null }): string {
  return `${row.message}\u0000${row.endpoint ?? ''}\u0000${row.endpoint === null}`;
}

/** Occurrences (oldest first) grouped like the warehouse's GROUP BY; on equal times the later one's stack wins. */
export function countOccurrences(occurrences: readonly ErrorOccurrence[]): ErrorMessageCount[] {
  const groups = new Map<string, ErrorMessageCount>();
  for (const o of occurrences) {
    const group = groups.get(keyOf(o));
    if (!group) {
      groups.set(keyOf(o), {
        message: o.message,
        stack: o.stack,
        endpoint: o.endpoint,
        count: 1,
        firstSeen: o.timestamp,
        lastSeen: o.timestamp,
      });
      continue;
    }
    group.count += 1;
    if (o.timestamp < group.firstSeen) group.firstSeen = o.timestamp;
    if (o.timestamp >= group.lastSeen) {
      group.lastSeen = o.timestamp;
      group.stack = o.stack;
    }
  }
  return [...groups.values()];
}

/**
 * The warehouse's rows with `extra` added: counts summed per (message, endpoint), the earlier first
 * seen, the later last seen and its stack (the warehouse's on a tie), re-ordered and re-capped.
 * `total` is exact when the warehouse was not capped; when it was, a Redis group may match one of
 * the rows the warehouse left out, so `total` is an upper bound (still ≥ the true count, as `capped` needs).
 */
export function mergeErrorCounts(
  warehouse: Capped<ErrorMessageCount>,
  extra: readonly ErrorMessageCount[],
  cap: number,
): Capped<ErrorMessageCount> {
  const merged = new Map<string, ErrorMessageCount>();
  for (const row of warehouse.rows) merged.set(keyOf(row), { ...row });
  let added = 0;
  for (const row of extra) {
    const existing = merged.get(keyOf(row));
    if (!existing) {
      merged.set(keyOf(row), { ...row });
      added += 1;
      continue;
    }
    existing.count += row.count;
    if (row.firstSeen < existing.firstSeen) existing.firstSeen = row.firstSeen;
    if (row.lastSeen > existing.lastSeen) {
      existing.lastSeen = row.lastSeen;
      existing.stack = row.stack;
    }
  }
  const rows = [...merged.values()].sort(
    (a, b) =>
      b.count - a.count ||
      b.lastSeen.getTime() - a.lastSeen.getTime() ||
      compare(a.message, b.message) ||
      compare(a.endpoint ?? '', b.endpoint ?? ''),
  );
  const total = warehouse.total + added;
  return cappedRows(rows, total, cap);
}

// Code-point order, like SQL's default collation for plain strings; localeCompare would differ.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
