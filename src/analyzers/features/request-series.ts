import type { EvidenceSeries } from '../../domain/proposal.ts';
import type { TimeWindow } from '../../ports/warehouse.ts';

const DAY = 24 * 3600 * 1000;

/**
 * A theme's requests over the window, for its chart: per week when the window spans more than two
 * weeks (monthly and full cycles), else per day, so a weekly cycle's seven days are seven bars, not one.
 */
export function requestSeries(timestamps: Date[], window: TimeWindow): EvidenceSeries {
  const span = window.to.getTime() - window.from.getTime();
  const bucket: 'day' | 'week' = span > 14 * DAY ? 'week' : 'day';
  const size = bucket === 'week' ? 7 * DAY : DAY;
  const count = Math.max(1, Math.ceil(span / size));
  // Buckets end at the window's end, so the last bar is the most recent full day or week.
  const start = window.to.getTime() - count * size;
  const points = Array.from({ length: count }, (_, i) => ({ at: new Date(start + i * size).toISOString(), value: 0 }));
  for (const t of timestamps) {
    const i = Math.floor((t.getTime() - start) / size);
    if (i >= 0 && i < count) points[i]!.value += 1;
  }
  return { kind: 'bars', label: `requests per ${bucket}`, unit: 'requests', bucket, points };
}
