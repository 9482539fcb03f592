import type { Finding } from '../../domain/finding.ts';
import type { TelemetryWarehouse, TimeWindow } from '../../ports/warehouse.ts';
import { findTimedChangePoints } from './change-points.ts';
import { regressionPriority } from './regression-priority.ts';

export interface DailyRegressionSettings {
  performanceThresholdMs: number;
  /** Days of daily p95 looked back over. */
  lookbackDays: number;
  /** A shift smaller than this fraction of the old level is not a regression worth a proposal. */
  minRelativeChange: number;
}

const DAY = 24 * 3600 * 1000;

/**
 * Regressions found on daily p95s: the last change point of each endpoint's series, when it went up.
 * Days of evidence make it sure of old, long shifts; a shift of the last hours is hourly-regressions.ts's.
 * Returns one finding per regressed endpoint.
 */
export async function dailyRegressions(
  warehouse: TelemetryWarehouse,
  end: Date,
  s: DailyRegressionSettings,
): Promise<Map<string, Finding>> {
  const window: TimeWindow = { from: new Date(end.getTime() - s.lookbackDays * DAY), to: end };
  const series = await warehouse.endpointSeries(window, 'day', []);
  const byEndpoint = new Map<string, { t: Date; value: number; calls: number }[]>();
  for (const point of series) {
    const list = byEndpoint.get(point.endpoint) ?? [];
    list.push({ t: point.bucketStart, value: point.p95Ms, calls: point.calls });
    byEndpoint.set(point.endpoint, list);
  }
  const findings = new Map<string, Finding>();
  for (const [endpoint, points] of byEndpoint) {
    points.sort((a, b) => a.t.getTime() - b.t.getTime());
    const changes = findTimedChangePoints(points, { minRelativeChange: s.minRelativeChange });
    // Only the last shift says where the endpoint is now: a regression that was fixed is history.
    const last = changes[changes.length - 1];
    if (!last || last.magnitude <= 0 || last.relativeChange === null) continue;
    const since = last.t.toISOString().slice(0, 10);
    const daysSince = points.filter((p) => p.t >= last.t);
    const callsSince = daysSince.reduce((sum, p) => sum + p.calls, 0);
    const callsPerDay = callsSince / Math.max(1, daysSince.length);
    findings.set(endpoint, {
      analyzer: 'performance',
      type: 'performance',
      fingerprint: `performance:regression:${endpoint}`,
      title: `${endpoint} got ${Math.round(last.relativeChange * 100)}% slower on ${since}`,
      summary: `The daily p95 of ${endpoint} rose from ${Math.round(last.before)} ms to ${Math.round(last.after)} ms starting ${since} and has stayed there (change point, p = ${last.pValue.toFixed(3)}).`,
      evidence: [
        { label: 'regression began', value: since },
        { label: 'p95 before', value: Math.round(last.before), unit: 'ms' },
        { label: 'p95 after', value: Math.round(last.after), unit: 'ms' },
        { label: 'change', value: `+${Math.round(last.relativeChange * 100)}`, unit: '%' },
        { label: 'calls since', value: callsSince },
        { label: 'days in baseline', value: points.length - daysSince.length },
      ],
      priority: regressionPriority(last.after, last.relativeChange, s.performanceThresholdMs),
      magnitude: Math.round(last.magnitude * callsPerDay),
      series: {
        kind: 'line',
        label: `p95 latency of ${endpoint}, per day`,
        unit: 'ms',
        bucket: 'day',
        points: points.map((p) => ({ at: p.t.toISOString(), value: Math.round(p.value) })),
        mark: { at: last.t.toISOString(), label: `regression began ${since}` },
      },
      details: {
        kind: 'regression',
        detector: 'daily',
        began: last.t.toISOString(),
        before: last.before,
        after: last.after,
        pValue: last.pValue,
      },
    });
  }
  return findings;
}
