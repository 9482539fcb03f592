import { median } from './change-points.ts';

/**
 * A latency regression that began within the last hours, found on hourly p95s. Each hour is compared
 * with the same hour of day in the preceding days (log residual against a per-hour-of-day median),
 * so ordinary day/night swings cancel. Every candidate onset in the scan window is tested with a
 * one-sided Mann-Whitney test (normal approximation) of the hours since onset against the baseline
 * residuals, Bonferroni-corrected for the number of onsets tried. A regression must still hold now
 * (most hours since onset, and the latest hour, above the midpoint), so a spike or a fixed one is not.
 */

export interface HourlyPoint {
  t: Date;
  p95Ms: number;
}

export interface HourlyRegressionOptions {
  /** Fewest hours since onset; a spike of one or two hours never qualifies. */
  minHours?: number;
  /** Latest onset scanned, in hours before the end (older ones are the daily detector's). */
  maxHours?: number;
  /** Days of history before the onset that set the per-hour-of-day baseline. */
  baselineDays?: number;
  alpha?: number;
  minRelativeChange?: number;
}

export interface HourlyRegression {
  onset: Date;
  /** Baseline-adjusted p95 ratio, after / before. */
  ratio: number;
  /** Bonferroni-adjusted one-sided p-value. */
  pValue: number;
  hoursSince: number;
  baselineHours: number;
}

const DEFAULTS = { minHours: 4, maxHours: 7 * 24, baselineDays: 14, alpha: 0.01, minRelativeChange: 0.25 };
const HOUR = 3600 * 1000;

export function findHourlyRegression(points: readonly HourlyPoint[], options: HourlyRegressionOptions = {}): HourlyRegression | undefined {
  const s = { ...DEFAULTS, ...options };
  const series = points.filter((p) => Number.isFinite(p.p95Ms) && p.p95Ms > 0).sort((a, b) => a.t.getTime() - b.t.getTime());
  const n = series.length;
  const logs = series.map((p) => Math.log(p.p95Ms));
  const hourOf = series.map((p) => p.t.getUTCHours());
  const first = Math.max(0, n - s.maxHours);
  const candidates = Math.max(0, n - s.minHours - first + 1);
  let best: (HourlyRegression & { k: number; residual: (i: number) => number; low: number; high: number }) | undefined;
  let bestZ = -Infinity;
  for (let k = first; k <= n - s.minHours; k++) {
    const since = series[k]!.t.getTime() - s.baselineDays * 24 * HOUR;
    const base: number[] = [];
    for (let i = 0; i < k; i++) if (series[i]!.t.getTime() >= since) base.push(i);
    if (base.length < 48) continue;
    const byHour = new Map<number, number[]>();
    for (const i of base) byHour.set(hourOf[i]!, [...(byHour.get(hourOf[i]!) ?? []), logs[i]!]);
    const profile = new Map([...byHour].map(([h, v]) => [h, median(v)]));
    const residual = (i: number) => logs[i]! - (profile.get(hourOf[i]!) ?? median(base.map((b) => logs[b]!)));
    const before = base.map(residual);
    const after: number[] = [];
    for (let i = k; i < n; i++) after.push(residual(i));
    const shift = median(after) - median(before);
    if (Math.exp(shift) - 1 < s.minRelativeChange) continue;
    const mid = median(before) + shift / 2;
    if (after[after.length - 1]! <= mid || after.filter((r) => r > mid).length < 0.75 * after.length) continue;
    const z = mannWhitneyZ(after, before);
    if (z <= bestZ) continue;
    const pValue = Math.min(1, candidates * upperNormalTail(z));
    if (pValue > s.alpha) continue;
    bestZ = z;
    best = {
      onset: series[k]!.t,
      ratio: Math.exp(shift),
      pValue,
      hoursSince: n - k,
      baselineHours: base.length,
      k,
      residual,
      low: median(before),
      high: median(before) + shift,
    };
  }
  if (!best) return undefined;
  // The largest z favours an onset a little early (a longer tail); the hour is set by fitting the two
  // levels: the cut that minimizes the absolute deviations from them near the candidate.
  const { k, residual, low, high, ...found } = best;
  let onset = k;
  let bestCost = Infinity;
  const from = Math.max(first, k - 24);
  for (let cut = from; cut <= n - s.minHours; cut++) {
    let cost = 0;
    for (let i = from; i < n; i++) cost += Math.abs(residual(i) - (i < cut ? low : high));
    if (cost < bestCost - 1e-12) {
      bestCost = cost;
      onset = cut;
    }
  }
  return { ...found, onset: series[onset]!.t, hoursSince: n - onset };
}

/** z of the Mann-Whitney U of `high` over `low` (midranks for ties, no tie correction: conservative). */
function mannWhitneyZ(high: readonly number[], low: readonly number[]): number {
  let u = 0;
  for (const h of high) for (const l of low) u += h > l ? 1 : h === l ? 0.5 : 0;
  const m = high.length;
  const n = low.length;
  return (u - (m * n) / 2) / Math.sqrt((m * n * (m + n + 1)) / 12);
}

/** P(Z > z) for a standard normal (Abramowitz & Stegun 7.1.26 via erfc). */
function upperNormalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}
