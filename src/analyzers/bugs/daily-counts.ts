import type { EvidenceSeries } from '../../domain/proposal.ts';
import type { ErrorMessageCount, TelemetryWarehouse } from '../../ports/warehouse.ts';

const DAY = 24 * 3600 * 1000;

/** How a counted message is found again: per endpoint, as the warehouse counts it. */
export function messageKey(row: Pick<ErrorMessageCount, 'message' | 'endpoint'>): string {
  return `${row.endpoint ?? ''}\0${row.message}`;
}

/**
 * Each error group's occurrences per UTC day over the `days` before `end`, for its chart: one
 * aggregated query per day (the same port call the analyzer makes, counted in the warehouse), each
 * message credited to the group the analyzer put it in. Messages it did not see (past its cap) are
 * not counted, so a chart never shows more than the evidence.
 */
export async function dailyGroupCounts(options: {
  warehouse: TelemetryWarehouse;
  end: Date;
  days: number;
  cap: number;
  groupOf: (key: string) => string | undefined;
  groups: string[];
}): Promise<Map<string, EvidenceSeries['points']>> {
  const starts = Array.from({ length: options.days }, (_, i) => new Date(options.end.getTime() - (options.days - i) * DAY));
  const perDay = await Promise.all(
    starts.map((from) => options.warehouse.errorMessages({ from, to: new Date(from.getTime() + DAY) }, options.cap)),
  );
  const out = new Map<string, EvidenceSeries['points']>(
    options.groups.map((g) => [g, starts.map((from) => ({ at: from.toISOString(), value: 0 }))]),
  );
  perDay.forEach((day, i) => {
    for (const row of day.rows) {
      const group = options.groupOf(messageKey(row));
      const points = group === undefined ? undefined : out.get(group);
      if (points) points[i]!.value += row.count;
    }
  });
  return out;
}
