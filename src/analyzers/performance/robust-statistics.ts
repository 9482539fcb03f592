export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Robust noise sigma: the MAD of first differences / √2, scaled to a normal's sigma. Differences
 * cancel the level (and a trend, which only shifts their center), so a few steps barely move it,
 * and the MAD ignores spikes.
 */
export function noiseScale(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const diffs = values.slice(1).map((value, i) => value - values[i]!);
  const center = median(diffs);
  return (1.4826 * median(diffs.map((d) => Math.abs(d - center)))) / Math.SQRT2;
}

/**
 * The noise scale that matters for telling a change from a wander: the long-run sigma of the
 * series around its local level, σ·√((1 + ρ)/(1 − ρ)) for lag-one autocorrelation ρ. ρ is read off
 * the first differences, whose lag-one correlation is −(1 − ρ)/2 under AR(1) noise (−½ for white
 * noise, near +1 for a smooth curve). The differences are winsorized at 3 robust sigmas first, so
 * the one large difference a level shift makes cannot pass for memory. ρ is capped at `maxRho`.
 *
 * ρ̂ is noisy in a short series (its standard error is about 2/√n: ±0.37 in 30 days), and believing
 * chance memory would let a month of white noise hide a real step. So only the memory beyond
 * `margin` standard errors counts: a smooth curve of 60 or 100 points (ρ̂ near 1) keeps most of its
 * ρ, 30 noisy days keep none.
 */
export function longRunNoiseScale(values: readonly number[], maxRho = 0.9, margin = 0): number {
  if (values.length < 4) return noiseScale(values);
  const diffs = values.slice(1).map((value, i) => value - values[i]!);
  const center = median(diffs);
  const spread = 1.4826 * median(diffs.map((d) => Math.abs(d - center)));
  if (spread === 0) return 0;
  const clipped = diffs.map((d) => Math.max(-3 * spread, Math.min(3 * spread, d - center)));
  const mean = clipped.reduce((a, b) => a + b, 0) / clipped.length;
  let squares = 0;
  let lagged = 0;
  clipped.forEach((d, i) => {
    squares += (d - mean) ** 2;
    if (i > 0) lagged += (d - mean) * (clipped[i - 1]! - mean);
  });
  const diffCorrelation = squares === 0 ? -0.5 : lagged / squares;
  const rho = Math.min(maxRho, Math.max(0, 1 + 2 * diffCorrelation - (2 * margin) / Math.sqrt(diffs.length)));
  // Var(diff) = 2σ²(1 − ρ), so σ² = spread² / (2(1 − ρ)); the long-run variance is σ²(1 + ρ)/(1 − ρ).
  return Math.sqrt((spread * spread * (1 + rho)) / (2 * (1 - rho) * (1 - rho)));
}

/**
 * Noise sigma around each point: noiseScale over the `halfWidth` values either side, never below
 * `floor`. Latency noise grows with the level, so one sigma for the whole series would let the
 * chance wiggles of a slow stretch pass for changes and hide real ones in a fast stretch.
 */
export function localNoiseScales(values: readonly number[], halfWidth: number, floor: number): number[] {
  return values.map((_, i) => {
    const window = values.slice(Math.max(0, i - halfWidth), Math.min(values.length, i + halfWidth + 1));
    return Math.max(noiseScale(window), floor);
  });
}
