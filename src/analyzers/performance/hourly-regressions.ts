import type { Finding } from '../../domain/finding.ts';
import type { EndpointSeriesPoint, TelemetryWarehouse } from '../../ports/warehouse.ts';
import { findHourlyRegression, type HourlyRegression } from './hourly-regression.ts';
import { regressionPriority } from './regression-priority.ts';

export interface HourlyRegressionSettings {
  performanceThresholdMs: number;
  minRelativeChange: number;
  /**
   * Hours with fewer calls are skipped: the "p95" of one to four calls is just their slowest, which
   * says more about one call than about the hour. Measured (bench/regression-delay.ts, sparse healthy
   * endpoints included): at 20, night hours of small endpoints drop out and a x2 step that starts at
   * night waits for the morning (p90 delay 13 h); at 10, x1.5 takes up to 18 h (p90 17 h); at 5, every
   * x2 and x3 is proposed 6 h after onset, x1.5 within 23 h, with no false alarm, as at 1 (the 20 and
   * 10 figures predate the whole-day baseline check). An endpoint that never reaches this is the
   * daily detector's.
   */
  minCallsPerHour: number;
  /** Days of history before an onset that set its per-hour-of-day baseline. */
  baselineDays: number;
  /** Oldest onset looked for, in hours; older regressions are the daily detector's. */
  maxHours: number;
}

export const HOURLY_DEFAULTS = { minCallsPerHour: 5, baselineDays: 14, maxHours: 7 * 24 } as const;

const HOUR = 3600 * 1000;

/**
 * Regressions of the last hours, from each endpoint's hourly p95 up to the last complete hour before
 * `asOf` (see hourly-regression.ts for the test). Returns one finding per regressed endpoint, under
 * the daily detector's fingerprint, so a proposal filed from hours is updated as days confirm it.
 */
export async function hourlyRegressions(
  warehouse: TelemetryWarehouse,
  asOf: Date,
  s: HourlyRegressionSettings,
): Promise<Map<string, Finding>> {
  const end = new Date(Math.floor(asOf.getTime() / HOUR) * HOUR);
  const from = new Date(end.getTime() - (s.baselineDays * 24 + s.maxHours) * HOUR);
  const series = await warehouse.endpointSeries({ from, to: end }, 'hour', []);
  const byEndpoint = new Map<string, EndpointSeriesPoint[]>();
  for (const point of series) {
    if (point.calls < s.minCallsPerHour) continue;
    const list = byEndpoint.get(point.endpoint);
    if (list) list.push(point);
    else byEndpoint.set(point.endpoint, [point]);
  }
  const findings = new Map<string, Finding>();
  for (const [endpoint, points] of byEndpoint) {
    const found = findHourlyRegression(
      points.map((p) => ({ t: p.bucketStart, p95Ms: p.p95Ms })),
      { end, maxHours: s.maxHours, baselineDays: s.baselineDays, minRelativeChange: s.minRelativeChange },
    );
    if (found) findings.set(endpoint, hourlyFinding(endpoint, found, points, s.performanceThresholdMs));
  }
  return findings;
}

const SERIES_HOURS = 7 * 24;

function hourlyFinding(endpoint: string, found: HourlyRegression, points: EndpointSeriesPoint[], thresholdMs: number): Finding {
  const began = `${found.onset.toISOString().slice(0, 13)}:00Z`;
  const readable = `${found.onset.toISOString().slice(0, 10)} ${found.onset.toISOString().slice(11, 13)}:00 UTC`;
  const since = points.filter((p) => p.bucketStart >= found.onset);
  const callsSince = since.reduce((sum, p) => sum + p.calls, 0);
  const callsPerDay = (callsSince / Math.max(1, found.hoursSince)) * 24;
  const relative = found.ratio - 1;
  const percent = Math.round(relative * 100);
  const pValue = Number(found.pValue.toPrecision(2));
  const hoursUsed = found.baselineHours + found.hoursSince;
  return {
    analyzer: 'performance',
    type: 'performance',
    fingerprint: `performance:regression:${endpoint}`,
    title: `${endpoint} got ${percent}% slower at ${readable}`,
    summary:
      `The hourly p95 of ${endpoint} rose from ${Math.round(found.beforeMs)} ms to ${Math.round(found.afterMs)} ms starting ${readable}, ` +
      `${found.hoursSince} hours ago, and has stayed there; compared with the same hours of the preceding days ` +
      `(Mann-Whitney over ${hoursUsed} hours, p = ${pValue}).`,
    evidence: [
      { label: 'regression began', value: began },
      { label: 'p95 before', value: Math.round(found.beforeMs), unit: 'ms' },
      { label: 'p95 after', value: Math.round(found.afterMs), unit: 'ms' },
      { label: 'change', value: `+${percent}`, unit: '%' },
      { label: 'p-value', value: pValue },
      { label: 'hours since onset', value: found.hoursSince },
      { label: 'hours in baseline', value: found.baselineHours },
      { label: 'calls since', value: callsSince },
    ],
    priority: regressionPriority(found.afterMs, relative, thresholdMs),
    magnitude: Math.round((found.afterMs - found.beforeMs) * callsPerDay),
    series: {
      kind: 'line',
      label: `p95 latency of ${endpoint}, per hour`,
      unit: 'ms',
      bucket: 'hour',
      // The last week of hours is enough to see the step; it keeps the stored series compact.
      points: [...points]
        .sort((a, b) => a.bucketStart.getTime() - b.bucketStart.getTime())
        .slice(-SERIES_HOURS)
        .map((p) => ({ at: p.bucketStart.toISOString(), value: Math.round(p.p95Ms) })),
      mark: { at: found.onset.toISOString(), label: `regression began ${readable}` },
    },
    details: {
      kind: 'regression',
      detector: 'hourly',
      began: found.onset.toISOString(),
      before: found.beforeMs,
      after: found.afterMs,
      pValue: found.pValue,
      hoursSince: found.hoursSince,
      baselineHours: found.baselineHours,
    },
  };
}
