import { despiked } from './despike.ts';
import { linearSegmentCost } from './linear-segment-cost.ts';
import { optimalPartition } from './optimal-partition.ts';
import { midRanks, splitPValue, splitStatistic } from './rank-split-test.ts';
import { longRunNoiseScale, median, noiseScale } from './robust-statistics.ts';
import { deseasonalized } from './seasonality.ts';
import { mixSeed } from './seeded-random.ts';

export { median, noiseScale } from './robust-statistics.ts';

/**
 * Change points in a series such as daily p95 latency: the segmentation into straight-line pieces
 * that minimizes squared error (in noise units) plus a BIC-like penalty per change, found exactly
 * by PELT. Before that the series is put on a log scale when it is positive (latency noise grows
 * with the level; on a log scale it does not), cleared of one- and two-point spikes, and cleared
 * of a repeating cycle. A line per segment means a steady trend is one segment, not a staircase.
 * Before/after are medians of the neighbouring segments, so one bad hour does not set the level.
 */

export interface ChangePointOptions {
  /** No segment shorter than this, so a single outlier cannot become a segment of its own. */
  minSegmentLength?: number;
  /** Cost of one more change, in multiples of log(n) squared noise units; 3 is BIC for a cut, a level and a slope. */
  penalty?: number;
  /** Shuffles behind each change's p-value. */
  permutations?: number;
  /** Minimum |after − before| in units of the noise around the change (robust sigma, see noiseScale). */
  minEffectSize?: number;
  /** Minimum |after − before| / |before|; 0.1 ignores shifts under 10%. */
  minRelativeChange?: number;
  maxChangePoints?: number;
  seed?: number;
  /** How the values are prepared; the defaults are what the benchmarks chose (see bench/change-point-accuracy.ts). */
  scale?: 'log-if-positive' | 'as-is';
  removeCycles?: boolean;
  /** Values further than this many sigmas from their neighbourhood's median are treated as spikes. */
  spikeThreshold?: number;
  fitSlopes?: boolean;
  /** Refits with the noise re-estimated from the residuals (see residualNoise). */
  refits?: number;
  memory?: boolean;
  maxRho?: number;
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
  permutations: 999,
  minEffectSize: 1,
  minRelativeChange: 0,
  maxChangePoints: 10,
  seed: 0x5eed,
  scale: 'log-if-positive',
  removeCycles: true,
  spikeThreshold: 4,
  fitSlopes: true,
  refits: 2,
  memory: true,
  maxRho: 0.9,
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
  const cuts = segmentation(values, settings);
  const kept = pruned(cuts, values, settings);
  return describe(kept, values, positions, settings);
}

export function findTimedChangePoints<T>(points: readonly TimedValue<T>[], options: ChangePointOptions = {}): (ChangePoint & { t: T })[] {
  return findChangePoints(
    points.map((point) => point.value),
    options,
  ).map((change) => ({ ...change, t: points[change.index]!.t }));
}

/** The cut positions (first index of each new segment) of the penalized piecewise-linear fit. */
export function segmentation(values: readonly number[], settings: Settings): number[] {
  const n = values.length;
  if (n < 2 * settings.minSegmentLength) return [];
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (low === high) return [];
  let prepared = settings.scale === 'log-if-positive' && low > 0 ? values.map(Math.log) : [...values];
  // A noiseless series has no spread to measure; a sliver of its range keeps the units finite.
  const floor = (Math.max(...prepared) - Math.min(...prepared)) * 1e-6;
  prepared = despiked(prepared, settings.spikeThreshold * Math.max(noiseScale(prepared), floor));
  if (settings.removeCycles) prepared = deseasonalized(prepared).values;
  let sigma = Math.max(settings.memory ? longRunNoiseScale(prepared, settings.maxRho) : noiseScale(prepared), floor);
  let cuts = penalizedFit(prepared, sigma, settings);
  for (let pass = 0; pass < settings.refits; pass++) {
    const next = Math.max(sigma, residualNoise(prepared, cuts, settings.fitSlopes));
    if (process.env.CPDBG) console.error("pass", pass, sigma, next, cuts.join(","));
    if (next <= sigma * 1.01) break;
    sigma = next;
    cuts = penalizedFit(prepared, sigma, settings);
  }
  return cuts;
}

function penalizedFit(prepared: readonly number[], sigma: number, settings: Settings): number[] {
  const n = prepared.length;
  const cost = linearSegmentCost(prepared, sigma, settings.fitSlopes);
  let penalty = settings.penalty * Math.log(n);
  let cuts = optimalPartition(n, cost, penalty, settings.minSegmentLength);
  while (cuts.length > settings.maxChangePoints) {
    penalty *= 1.5;
    cuts = optimalPartition(n, cost, penalty, settings.minSegmentLength);
  }
  return cuts;
}

/**
 * The noise the fit leaves, allowing for its memory: residuals that run in long arcs (a smooth
 * curve cut into lines) say the series is not white noise around the pieces but a slow wander,
 * whose long-run variance is σ²(1 + ρ)/(1 − ρ) for lag-one correlation ρ. Using that as the noise
 * makes a wandering curve pay for each cut as much as it gains, so it stops being cut.
 */
function residualNoise(values: readonly number[], cuts: readonly number[], withSlope: boolean): number {
  const bounds = [0, ...cuts, values.length];
  let squares = 0;
  let lagged = 0;
  let count = 0;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const segment = values.slice(bounds[k], bounds[k + 1]);
    const residuals = lineResiduals(segment, withSlope);
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
 * A cut can be real in the fitted model yet too small to matter, or smaller than the thresholds a
 * caller set. Drop the weakest change whose neighbouring medians fail them, and repeat, so every
 * reported change holds against its actual neighbours.
 */
function pruned(cuts: readonly number[], values: number[], settings: Settings): number[] {
  const kept = [...cuts];
  for (;;) {
    let weakest = -1;
    let weakestEffect = Infinity;
    kept.forEach((at, k) => {
      const { before, after, sigma } = neighbours(values, kept[k - 1] ?? 0, at, kept[k + 1] ?? values.length);
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

function describe(kept: number[], values: number[], positions: number[], settings: Settings): ChangePoint[] {
  return kept.map((at, k) => {
    const from = kept[k - 1] ?? 0;
    const to = kept[k + 1] ?? values.length;
    const { before, after, sigma } = neighbours(values, from, at, to);
    const magnitude = after - before;
    const ranks = midRanks(values.slice(from, to));
    const pValue = splitPValue(ranks, splitStatistic(ranks, at - from), {
      minLength: settings.minSegmentLength,
      permutations: settings.permutations,
      seed: mixSeed(settings.seed, from, to),
    });
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
