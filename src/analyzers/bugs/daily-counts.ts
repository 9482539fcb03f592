import type { EvidenceSeries } from '../../domain/proposal.ts';
import type { ErrorMessageCount, TimeWindow } from '../../ports/warehouse.ts';

const DAY = 24 * 3600 * 1000;

/**
 * How a counted row is found again: per endpoint, by the warehouse's group key when it grouped the
 * messages (ErrorGroupCount), else by the message itself, as the warehouse counts it.
 */
export function messageKey(row: Pick<ErrorMessageCount, 'message' | 'endpoint'> & { key?: string }): string {
  return row.key !== undefined ? `${row.endpoint ?? ''}\0key:${row.key}` : `${row.endpoint ?? ''}\0${row.message}`;
}

/**
 * Each error group's occurrences per UTC day over the `days` before `end`, for its chart: one
 * aggregated query per day (the same port call the analyzer makes, counted in the warehouse), each
 * message credited to the group the analyzer put it in. Messages it did not see are
 * not counted, so a chart never shows more than the evidence.
 */
export async function dailyGroupCounts(options: {
  end: Date;
  days: number;
  /** The rows of a window, read as the analyzer read its own (grouped in the warehouse when it can). */
  read: (window: TimeWindow) => Promise<ErrorMessageCount[]>;
  groupOf: (row: ErrorMessageCount) => string | undefined;
  groups: string[];
}): Promise<Map<string, EvidenceSeries['points']>> {
  const starts = Array.from({ length: options.days }, (_, i) => new Date(options.end.getTime() - (options.days - i) * DAY));
  const perDay = await Promise.all(starts.map((from) => options.read({ from, to: new Date(from.getTime() + DAY) })));
  const out = new Map<string, EvidenceSeries['points']>(
    options.groups.map((g) => [g, starts.map((from) => ({ at: from.toISOString(), value: 0 }))]),
  );
  perDay.forEach((day, i) => {
    for (const row of day) {
      const group = options.groupOf(row);
      const points = group === undefined ? undefined : out.get(group);
      if (points) points[i]!.value += row.count;
    }
  });
  return out;
}
