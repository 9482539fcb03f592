import { median } from './median.ts';

/**
 * A latency regression that began within the last hours, found on hourly p95s. Each hour is compared
 * with the same hour of day in the preceding days (log residual against a per-hour-of-day median),
 * so ordinary day/night swings cancel. Every candidate onset in the scan window is tested with a
 * one-sided Mann-Whitney test (normal approximation) of the hours since onset against the baseline
 * residuals, Bonferroni-corrected for the number of onsets tried. A regression must still hold now
 * (most hours since onset, and the latest hour, above the midpoint), so a spike or a fixed one is not.
 *
 * The baseline must itself hold one level (see levelBaseline): an onset whose baseline contains an
 * older shift is not judged here. A step that began before the scan window is likewise left to the daily detector.
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
  /** Exclusive end of the data (now, to the hour); defaults to an hour after the last point. */
  end?: Date;
}

export interface HourlyRegression {
  onset: Date;
  /** Baseline-adjusted p95 ratio, after / before. */
  ratio: number;
  /** Bonferroni-adjusted one-sided p-value. */
  pValue: number;
  hoursSince: number;
  baselineHours: number;
  /** What the hours since onset used to measure: the baseline profile at their hours of day (median). */
  beforeMs: number;
  /** Median p95 of the hours since onset. */
  afterMs: number;
}

const DEFAULTS = { minHours: 4, maxHours: 7 * 24, baselineDays: 14, alpha: 0.01, minRelativeChange: 0.25 };
const HOUR = 3600 * 1000;

export function findHourlyRegression(points: readonly HourlyPoint[], options: HourlyRegressionOptions = {}): HourlyRegression | undefined {
  const s = { ...DEFAULTS, ...options };
  const series = points.filter((p) => Number.isFinite(p.p95Ms) && p.p95Ms > 0).sort((a, b) => a.t.getTime() - b.t.getTime());
  const n = series.length;
  if (n === 0) return undefined;
  const times = series.map((p) => p.t.getTime());
  const logs = series.map((p) => Math.log(p.p95Ms));
  const hourOf = series.map((p) => p.t.getUTCHours());
  const end = s.end?.getTime() ?? times[n - 1]! + HOUR;
  let first = 0;
  while (first < n && times[first]! < end - s.maxHours * HOUR) first++;
  const candidates = Math.max(0, n - s.minHours - first + 1);
  type Candidate = HourlyRegression & { k: number; profile: Float64Array; overall: number; low: number; high: number };
  let best: Candidate | undefined;
  let bestZ = -Infinity;
  let baseStart = 0;
  // The per-hour-of-day medians of the baseline; stepping k by one moves only the hours that entered
  // or left it, so only those are recomputed.
  const profile = new Float64Array(24).fill(NaN);
  let profiled: [from: number, to: number] | undefined;
  for (let k = first; k <= n - s.minHours; k++) {
    const since = times[k]! - s.baselineDays * 24 * HOUR;
    while (baseStart < k && times[baseStart]! < since) baseStart++;
    if (k - baseStart < 48) continue;
    const changed = new Set<number>();
    const [lastStart, lastEnd] = profiled ?? [baseStart, baseStart];
    for (let i = lastStart; i < baseStart; i++) changed.add(hourOf[i]!);
    for (let i = Math.max(lastEnd, baseStart); i < k; i++) changed.add(hourOf[i]!);
    profiled = [baseStart, k];
    for (const hour of changed) {
      const values: number[] = [];
      for (let i = baseStart; i < k; i++) if (hourOf[i] === hour) values.push(logs[i]!);
      profile[hour] = median(values);
    }
    let overall: number | undefined;
    const expected = (i: number) => {
      const typical = profile[hourOf[i]!]!;
      return Number.isNaN(typical) ? (overall ??= median(logs.slice(baseStart, k))) : typical;
    };
    const residual = (i: number) => logs[i]! - expected(i);
    const before: number[] = [];
    for (let i = baseStart; i < k; i++) before.push(residual(i));
    const after: number[] = [];
    for (let i = k; i < n; i++) after.push(residual(i));
    const low = median(before);
    const shift = median(after) - low;
    if (Math.exp(shift) - 1 < s.minRelativeChange) continue;
    const mid = low + shift / 2;
    if (after[after.length - 1]! <= mid || after.filter((r) => r > mid).length < 0.75 * after.length) continue;
    const z = mannWhitneyZ(after, before);
    if (z <= bestZ) continue;
    const pValue = Math.min(1, candidates * upperNormalTail(z));
    if (pValue > s.alpha) continue;
    if (!levelBaseline(before, times.slice(baseStart, k), times[k]!, shift / 2)) continue;
    bestZ = z;
    best = {
      onset: series[k]!.t,
      ratio: Math.exp(shift),
      pValue,
      hoursSince: n - k,
      baselineHours: k - baseStart,
      beforeMs: NaN,
      afterMs: NaN,
      k,
      // A copy: the running profile moves on with the next candidates.
      profile: profile.slice(),
      overall: median(logs.slice(baseStart, k)),
      low,
      high: low + shift,
    };
  }
  if (!best) return undefined;
  // The largest z favours an onset a little early (a longer tail); the hour is set by fitting the two
  // levels: the cut that minimizes the absolute deviations from them near the candidate.
  const { k, profile: bestProfile, overall, low, high, ...found } = best;
  const expected = (i: number) => (Number.isNaN(bestProfile[hourOf[i]!]!) ? overall : bestProfile[hourOf[i]!]!);
  const residual = (i: number) => logs[i]! - expected(i);
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
  // A step fitted to the oldest hour scanned may have begun before it: its start is the daily detector's to date.
  if (onset === first && first > 0) return undefined;
  const expectedSince: number[] = [];
  for (let i = onset; i < n; i++) expectedSince.push(Math.exp(expected(i)));
  return {
    ...found,
    onset: series[onset]!.t,
    hoursSince: n - onset,
    beforeMs: median(expectedSince),
    afterMs: median(series.slice(onset).map((p) => p.p95Ms)),
  };
}

/**
 * Whether a baseline holds one level: cut it at every whole day back from the onset, the two sides
 * (a day or more each) may not differ by more than `tolerance` in median residual. A shift inside
 * the baseline (an older regression, or this one when the onset tried is late) blends two levels
 * into the per-hour profile, and the hours since the onset would be measured against that blend.
 */
function levelBaseline(residuals: readonly number[], times: readonly number[], onset: number, tolerance: number): boolean {
  for (let day = 1; ; day++) {
    const cutTime = onset - day * 24 * HOUR;
    if (cutTime <= times[0]!) return true;
    let cut = 0;
    while (times[cut]! < cutTime) cut++;
    const older = residuals.slice(0, cut);
    const newer = residuals.slice(cut);
    if (older.length < 24 || newer.length < 24) continue;
    if (Math.abs(median(older) - median(newer)) > tolerance) return false;
  }
}

/** z of the Mann-Whitney U of `high` over `low` (ties count a half, no tie correction: conservative). */
function mannWhitneyZ(high: readonly number[], low: readonly number[]): number {
  const m = high.length;
  const n = low.length;
  const sorted = Float64Array.from(low).sort();
  let u = 0;
  for (const h of high) {
    const below = firstIndexAtLeast(sorted, h);
    let equal = 0;
    while (below + equal < n && sorted[below + equal] === h) equal++;
    u += below + equal / 2;
  }
  return (u - (m * n) / 2) / Math.sqrt((m * n * (m + n + 1)) / 12);
}

function firstIndexAtLeast(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** P(Z > z) for a standard normal (Abramowitz & Stegun 7.1.26 via erfc). */
function upperNormalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}
