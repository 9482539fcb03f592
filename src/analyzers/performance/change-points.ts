import { arcPValue, midRanks, mostExtremeArc } from './rank-arc-scan.ts';
import { mixSeed } from './seeded-random.ts';

/**
 * Change points in a series such as daily p95 latency: binary segmentation driven by the rank arc
 * test in rank-arc-scan.ts. A segment is split where its most extreme arc is significant (seeded
 * permutation test) and large enough to matter, then each piece is searched again. Before/after are
 * medians of the neighbouring segments, so one bad hour does not set the reported level.
 */

export interface ChangePointOptions {
  /** No segment shorter than this, so a single outlier cannot become a segment of its own. */
  minSegmentLength?: number;
  /**
   * Significance level of each permutation test. Measured on 30-point series: 0.005 raises a change
   * on 0.25% of stationary series and adds a spurious second change next to a real step in about 1%;
   * 0.01 doubles both and finds a 2-sigma step about 8% more often. It also bounds the shortest
   * detectable edge segment: m points out of n lie side by side in (n − m + 1)·m!·(n − m)!/n! of
   * shuffles, 0.7% for 3 of 30, so at 0.005 a change needs 4 days of a 30-day series behind it.
   */
  alpha?: number;
  permutations?: number;
  /** Minimum |after − before| in units of the noise around the change (robust sigma, see noiseScale). */
  minEffectSize?: number;
  /** Minimum |after − before| / |before|; 0.1 ignores shifts under 10%. */
  minRelativeChange?: number;
  maxChangePoints?: number;
  seed?: number;
}

export interface ChangePoint {
  /** Index in the input of the first value of the new level. */
  index: number;
  before: number;
  after: number;
  magnitude: number;
  /** magnitude / |before|; null when before is 0. */
  relativeChange: number | null;
  /** Permutation p-value of the test that found this change. */
  pValue: number;
  /** |magnitude| in units of the series' noise; Infinity on a noiseless series. */
  effectSize: number;
}

export interface TimedValue<T> {
  t: T;
  value: number;
}

const DEFAULTS = {
  minSegmentLength: 3,
  alpha: 0.005,
  permutations: 999,
  minEffectSize: 1,
  minRelativeChange: 0,
  maxChangePoints: 10,
  seed: 0x5eed,
};

/** Non-finite values (missing hours) are skipped; indices still refer to the input. */
export function findChangePoints(series: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const settings = { ...DEFAULTS, ...options };
  const positions: number[] = [];
  const values: number[] = [];
  series.forEach((value, index) => {
    if (Number.isFinite(value)) {
      positions.push(index);
      values.push(value);
    }
  });
  const found: { at: number; pValue: number }[] = [];
  const pending: [number, number][] = [[0, values.length]];
  while (pending.length > 0 && found.length < settings.maxChangePoints) {
    const [start, end] = pending.shift()!;
    const ranks = midRanks(values.slice(start, end));
    const arc = mostExtremeArc(ranks, settings.minSegmentLength);
    if (!arc || arc.z === 0) continue;
    const pValue = arcPValue(ranks, arc.z, {
      minLength: settings.minSegmentLength,
      permutations: settings.permutations,
      alpha: settings.alpha,
      seed: mixSeed(settings.seed, start, end),
    });
    if (pValue > settings.alpha) continue;
    const inside = values.slice(start + arc.start, start + arc.end);
    const outside = [...values.slice(start, start + arc.start), ...values.slice(start + arc.end, end)];
    if (!matters(median(outside), median(inside), noiseScale(values.slice(start, end)), settings)) continue;
    const cuts = [arc.start, arc.end].filter((cut) => cut > 0 && cut < end - start).map((cut) => start + cut);
    for (const at of cuts) found.push({ at, pValue });
    const bounds = [start, ...cuts, end];
    for (let k = 0; k + 1 < bounds.length; k++) pending.push([bounds[k]!, bounds[k + 1]!]);
  }
  const refined = refinedCuts(found, values, settings.minSegmentLength);
  return describe(pruned(refined, values, settings), values, positions);
}

export function findTimedChangePoints<T>(points: readonly TimedValue<T>[], options: ChangePointOptions = {}): (ChangePoint & { t: T })[] {
  return findChangePoints(
    points.map((point) => point.value),
    options,
  ).map((change) => ({ ...change, t: points[change.index]!.t }));
}

/**
 * Ranks say whether a segment changed, but not exactly where: the highest of the low values ranks
 * about the same on either side of a boundary. So each cut, between its fixed neighbours, moves to
 * the position that minimizes the absolute deviations from the two segments' medians (a robust
 * least-absolute-deviation fit), which puts a 300 → 900 boundary exactly at the first 900.
 */
function refinedCuts(found: { at: number; pValue: number }[], values: number[], minLength: number): { at: number; pValue: number }[] {
  const cuts = found.map((cut) => ({ ...cut })).sort((a, b) => a.at - b.at);
  cuts.forEach((cut, k) => {
    const left = cuts[k - 1]?.at ?? 0;
    const right = cuts[k + 1]?.at ?? values.length;
    let best = cut.at;
    let bestCost = absoluteDeviation(values.slice(left, cut.at)) + absoluteDeviation(values.slice(cut.at, right));
    for (let at = left + minLength; at <= right - minLength; at++) {
      const cost = absoluteDeviation(values.slice(left, at)) + absoluteDeviation(values.slice(at, right));
      if (cost < bestCost - 1e-9 * Math.abs(bestCost)) {
        best = at;
        bestCost = cost;
      }
    }
    cut.at = best;
  });
  return cuts;
}

function absoluteDeviation(values: readonly number[]): number {
  const center = median(values);
  return values.reduce((sum, value) => sum + Math.abs(value - center), 0);
}

/**
 * An arc test may place a second cut that the final segmentation does not support (the arc of a
 * plain step can end a few points early). Drop the weakest change whose neighbouring medians fail
 * the size thresholds, and repeat, so every reported change holds against its actual neighbours.
 */
function pruned(found: { at: number; pValue: number }[], values: number[], settings: typeof DEFAULTS): { at: number; pValue: number }[] {
  const kept = [...found].sort((a, b) => a.at - b.at);
  for (;;) {
    let weakest = -1;
    let weakestEffect = Infinity;
    kept.forEach((change, k) => {
      const { before, after, sigma } = neighbours(values, kept[k - 1]?.at ?? 0, change.at, kept[k + 1]?.at ?? values.length);
      const effect = sigma === 0 ? (after === before ? 0 : Infinity) : Math.abs(after - before) / sigma;
      if (!matters(before, after, sigma, settings) && (weakest < 0 || effect < weakestEffect)) {
        weakest = k;
        weakestEffect = effect;
      }
    });
    if (weakest < 0) return kept;
    kept.splice(weakest, 1);
  }
}

function matters(before: number, after: number, sigma: number, settings: typeof DEFAULTS): boolean {
  const shift = Math.abs(after - before);
  if (shift === 0) return false;
  if (sigma > 0 && shift / sigma < settings.minEffectSize) return false;
  return before === 0 || shift / Math.abs(before) >= settings.minRelativeChange;
}

/**
 * Medians of the segments either side of a change, and the noise of the two together: noise is
 * local because latency noise grows with the level (a 900 ms segment is three times as noisy as a
 * 300 ms one), so one series-wide sigma would let chance wiggles in the noisy segment through.
 */
function neighbours(values: number[], from: number, at: number, to: number): { before: number; after: number; sigma: number } {
  return { before: median(values.slice(from, at)), after: median(values.slice(at, to)), sigma: noiseScale(values.slice(from, to)) };
}

function describe(kept: { at: number; pValue: number }[], values: number[], positions: number[]): ChangePoint[] {
  return kept.map((change, k) => {
    const { before, after, sigma } = neighbours(values, kept[k - 1]?.at ?? 0, change.at, kept[k + 1]?.at ?? values.length);
    const magnitude = after - before;
    return {
      index: positions[change.at]!,
      before,
      after,
      magnitude,
      relativeChange: before === 0 ? null : magnitude / Math.abs(before),
      pValue: change.pValue,
      effectSize: sigma === 0 ? Infinity : Math.abs(magnitude) / sigma,
    };
  });
}

/**
 * Robust noise sigma: the MAD of first differences / √2, scaled to a normal's sigma. Differences
 * cancel the level, so a few steps barely move it, and the MAD ignores spikes.
 */
export function noiseScale(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const diffs = values.slice(1).map((value, i) => value - values[i]!);
  const center = median(diffs);
  return (1.4826 * median(diffs.map((d) => Math.abs(d - center)))) / Math.SQRT2;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
