import { despiked } from './despike.ts';
import { linearSegmentCost } from './linear-segment-cost.ts';
import { optimalPartition } from './optimal-partition.ts';
import { splitPValue } from './split-permutation-test.ts';
import { localNoiseScales, longRunNoiseScale, median, noiseScale } from './robust-statistics.ts';
import { deseasonalized } from './seasonality.ts';
import { mixSeed } from './seeded-random.ts';

export { median, noiseScale } from './robust-statistics.ts';

/**
 * Change points in a series such as daily p95 latency: the segmentation into straight-line pieces
 * that minimizes squared error (in units of the local noise) plus a BIC-like penalty per change,
 * found exactly by PELT (optimal-partition.ts). Before that the series is cleared of one- and
 * two-point spikes (despike.ts) and of a repeating cycle (seasonality.ts). A line per segment means
 * a steady trend is one segment, not a staircase; noise measured with its memory
 * (longRunNoiseScale) means a smooth wander is not cut into lines either. Each change must then
 * pass a permutation test of its split (split-permutation-test.ts) and the size thresholds.
 * Before/after are medians of the neighbouring segments, so one bad hour does not set the level.
 * Figures on real annotated series: bench/change-point-accuracy.ts.
 */

export interface ChangePointOptions {
  /** No segment shorter than this, so a single outlier cannot become a segment of its own. */
  minSegmentLength?: number;
  /** Cost of one more change, in multiples of log(n) squared noise units; 3 is BIC for a cut, a level and a slope. */
  penalty?: number;
  /**
   * A change is kept only if the split between its neighbouring changes is this significant in the
   * permutation test. 0.01 keeps chance changes in plain or heavy-tailed noise rare; a three-point
   * step at the end of 30 days still reaches it, since three given values fall together at one end
   * in 0.05% of shuffles.
   */
  alpha?: number;
  /** Shuffles behind each change's p-value. */
  permutations?: number;
  /** Minimum |after − before| in units of the noise around the change (robust sigma, see noiseScale). */
  minEffectSize?: number;
  /** Minimum |after − before| / |before|; 0.1 ignores shifts under 10%. */
  minRelativeChange?: number;
  maxChangePoints?: number;
  seed?: number;
  /**
   * The rest are how the values are prepared and measured, for the ablations in
   * bench/change-point-accuracy.ts; the defaults are what it measured best overall. 'log-if-positive'
   * fits on log values, which suits multiplicative noise but bends a straight trend.
   */
  scale?: 'log-if-positive' | 'as-is';
  removeCycles?: boolean;
  /** Values further than this many noise sigmas from their neighbourhood's median are spikes. */
  spikeThreshold?: number;
  /** Lines (true) or flat levels (false) per segment. */
  fitSlopes?: boolean;
  /** Refits with the noise re-estimated from the residuals of the previous fit (see residualNoise). */
  refits?: number;
  /**
   * Whether the noise scale allows for autocorrelation (longRunNoiseScale), up to which ρ, and how
   * many standard errors of its estimate are discounted first (so short noisy series claim none).
   */
  memory?: boolean;
  maxRho?: number;
  memoryMargin?: number;
  /** Half-width of the window for each point's own noise sigma; 0 for one sigma for the series. */
  localNoise?: number;
  /** No point's sigma below this share of the series' typical sigma, so a calm stretch is not over-trusted. */
  minNoiseRatio?: number;
}

export interface ChangePoint {
  /** Index in the input of the first value of the new level. */
  index: number;
  before: number;
  after: number;
  magnitude: number;
  /** magnitude / |before|; null when before is 0. */
  relativeChange: number | null;
  /** Permutation p-value of the split between the neighbouring changes, allowing for its choice. */
  pValue: number;
  /** |magnitude| in units of the series' noise; Infinity on a noiseless series. */
  effectSize: number;
}

export interface TimedValue<T> {
  t: T;
  value: number;
}

const DEFAULTS: Required<ChangePointOptions> = {
  minSegmentLength: 3,
  penalty: 3,
  alpha: 0.01,
  permutations: 999,
  minEffectSize: 1,
  minRelativeChange: 0,
  maxChangePoints: 10,
  seed: 0x5eed,
  scale: 'as-is',
  removeCycles: true,
  spikeThreshold: 4,
  fitSlopes: true,
  refits: 2,
  memory: true,
  maxRho: 0.9,
  memoryMargin: 2.5,
  localNoise: 7,
  minNoiseRatio: 0.3,
};

type Settings = Required<ChangePointOptions>;

/** Non-finite values (missing hours) are skipped; indices still refer to the input. */
export function findChangePoints(series: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const settings: Settings = { ...DEFAULTS, ...options };
  const positions: number[] = [];
  const values: number[] = [];
  series.forEach((value, index) => {
    if (Number.isFinite(value)) {
      positions.push(index);
      values.push(value);
    }
  });
  const { cuts, tested } = segmentation(values, settings);
  const kept = pruned(cuts, values, tested, settings);
  return describe(kept, values, positions);
}

export function findTimedChangePoints<T>(points: readonly TimedValue<T>[], options: ChangePointOptions = {}): (ChangePoint & { t: T })[] {
  return findChangePoints(
    points.map((point) => point.value),
    options,
  ).map((change) => ({ ...change, t: points[change.index]!.t }));
}

/**
 * The cut positions (first index of each new segment) of the penalized piecewise-linear fit, and
 * the values it was fitted to (rescaled, despiked, without their cycle).
 */
function segmentation(values: readonly number[], settings: Settings): { cuts: number[]; prepared: number[]; tested: number[] } {
  const n = values.length;
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (n < 2 * settings.minSegmentLength || low === high) return { cuts: [], prepared: [...values], tested: [...values] };
  let prepared = settings.scale === 'log-if-positive' && low > 0 ? values.map(Math.log) : [...values];
  // A noiseless series has no spread to measure; a sliver of its range keeps the units finite.
  const floor = (Math.max(...prepared) - Math.min(...prepared)) * 1e-6;
  const scaled = prepared;
  prepared = despiked(prepared, settings.spikeThreshold * Math.max(noiseScale(prepared), floor));
  let tested = scaled;
  if (settings.removeCycles) {
    const { values: adjusted, cycle } = deseasonalized(prepared);
    prepared = adjusted;
    tested = scaled.map((v, i) => v - cycle[i]!);
  }
  const global = Math.max(
    settings.memory ? longRunNoiseScale(prepared, settings.maxRho, settings.memoryMargin) : noiseScale(prepared),
    floor,
  );
  // Local noise relative to the series' own, so the memory correction carries over to every point.
  const local = settings.localNoise > 0 ? localNoiseScales(prepared, settings.localNoise, 0) : prepared.map(() => 0);
  const typical = median(local) || 1;
  let sigmas = local.map((s) => (settings.localNoise > 0 ? global * Math.max(s / typical, settings.minNoiseRatio) : global));
  let cuts = penalizedFit(prepared, sigmas, settings);
  for (let pass = 0; pass < settings.refits; pass++) {
    const ratio = residualNoise(prepared, cuts, sigmas, settings.fitSlopes);
    if (ratio <= 1.01) break;
    sigmas = sigmas.map((s) => s * ratio);
    cuts = penalizedFit(prepared, sigmas, settings);
  }
  return { cuts, prepared, tested };
}

function penalizedFit(prepared: readonly number[], sigmas: readonly number[], settings: Settings): number[] {
  const n = prepared.length;
  const cost = linearSegmentCost(prepared, sigmas, settings.fitSlopes);
  let penalty = settings.penalty * Math.log(n);
  let cuts = optimalPartition(n, cost, penalty, settings.minSegmentLength);
  while (cuts.length > settings.maxChangePoints) {
    penalty *= 1.5;
    cuts = optimalPartition(n, cost, penalty, settings.minSegmentLength);
  }
  return cuts;
}

/**
 * The noise the fit leaves, as a multiple of the sigmas it assumed, allowing for its memory:
 * residuals that run in long arcs (a smooth curve cut into lines) say the series is not white noise
 * around the pieces but a slow wander, whose long-run variance is σ²(1 + ρ)/(1 − ρ) for lag-one
 * correlation ρ. Scaling the noise by that makes a wandering curve pay for each cut about as much as
 * it gains, so it stops being cut.
 */
function residualNoise(values: readonly number[], cuts: readonly number[], sigmas: readonly number[], withSlope: boolean): number {
  const bounds = [0, ...cuts, values.length];
  let squares = 0;
  let lagged = 0;
  let count = 0;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const from = bounds[k]!;
    const segment = values.slice(from, bounds[k + 1]);
    const residuals = lineResiduals(segment, withSlope).map((r, i) => r / sigmas[from + i]!);
    residuals.forEach((r, i) => {
      squares += r * r;
      if (i > 0) lagged += r * residuals[i - 1]!;
    });
    count += segment.length - (withSlope ? 2 : 1);
  }
  if (squares === 0 || count <= 0) return 0;
  const rho = Math.min(0.9, Math.max(0, lagged / squares));
  return Math.sqrt((squares / count) * ((1 + rho) / (1 - rho)));
}

function lineResiduals(segment: readonly number[], withSlope: boolean): number[] {
  const m = segment.length;
  const tMean = (m - 1) / 2;
  const yMean = segment.reduce((a, b) => a + b, 0) / m;
  let stt = 0;
  let sty = 0;
  segment.forEach((y, t) => {
    stt += (t - tMean) ** 2;
    sty += (t - tMean) * (y - yMean);
  });
  const slope = withSlope && stt > 0 ? sty / stt : 0;
  return segment.map((y, t) => y - yMean - slope * (t - tMean));
}

/**
 * A cut can be real in the fitted model yet not significant, too small to matter, or smaller than
 * the thresholds a caller set. Drop the weakest failing change (largest p-value, then smallest
 * effect), and repeat, so every reported change holds against its actual neighbours.
 */
function pruned(
  cuts: readonly number[],
  values: number[],
  tested: readonly number[],
  settings: Settings,
): { at: number; pValue: number }[] {
  const kept = [...cuts];
  const pValues = new Map<string, number>();
  const pValueOf = (from: number, at: number, to: number): number => {
    const key = `${from}:${at}:${to}`;
    let p = pValues.get(key);
    if (p === undefined) {
      p = splitPValue(tested.slice(from, to), at - from, {
        minLength: settings.minSegmentLength,
        permutations: settings.permutations,
        alpha: settings.alpha,
        seed: mixSeed(settings.seed, from, to),
        withSlope: settings.fitSlopes,
      });
      pValues.set(key, p);
    }
    return p;
  };
  for (;;) {
    let weakest = -1;
    let weakestScore = Infinity;
    kept.forEach((at, k) => {
      const from = kept[k - 1] ?? 0;
      const to = kept[k + 1] ?? values.length;
      const { before, after, sigma } = neighbours(values, from, at, to);
      const effect = sigma === 0 ? (after === before ? 0 : Infinity) : Math.abs(after - before) / sigma;
      const fails = !matters(before, after, sigma, settings) || pValueOf(from, at, to) > settings.alpha;
      // The least supported change goes first: largest p-value, then smallest effect.
      const score = effect - 1e6 * pValueOf(from, at, to);
      if (fails && (weakest < 0 || score < weakestScore)) {
        weakest = k;
        weakestScore = score;
      }
    });
    if (weakest < 0) return kept.map((at, k) => ({ at, pValue: pValueOf(kept[k - 1] ?? 0, at, kept[k + 1] ?? values.length) }));
    kept.splice(weakest, 1);
  }
}

function matters(before: number, after: number, sigma: number, settings: Settings): boolean {
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
  return kept.map(({ at, pValue }, k) => {
    const { before, after, sigma } = neighbours(values, kept[k - 1]?.at ?? 0, at, kept[k + 1]?.at ?? values.length);
    const magnitude = after - before;
    return {
      index: positions[at]!,
      before,
      after,
      magnitude,
      relativeChange: before === 0 ? null : magnitude / Math.abs(before),
      pValue,
      effectSize: sigma === 0 ? Infinity : Math.abs(magnitude) / sigma,
    };
  });
}
