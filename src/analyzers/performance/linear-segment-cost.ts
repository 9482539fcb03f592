/**
 * Cost of one segment as a straight line: the weighted residual sum of squares of its weighted
 * least-squares fit, each value weighted by 1 / (its local noise sigma)², so the cost is in noise
 * units even where noise grows with the level (a 900 ms stretch is three times as noisy as a 300
 * ms one). A line, not a level, so that a steady trend is one segment rather than a staircase of
 * false changes, while a step is still two flat segments. Prefix sums make each cost O(1), which
 * is what lets PELT try every segment.
 */
export function linearSegmentCost(
  values: readonly number[],
  sigmas: readonly number[],
  withSlope = true,
): (start: number, end: number) => number {
  const n = values.length;
  const center = n ? values[0]! : 0;
  const scale = n ? sigmas[0]! : 1;
  const sums = {
    w: new Float64Array(n + 1),
    t: new Float64Array(n + 1),
    tt: new Float64Array(n + 1),
    y: new Float64Array(n + 1),
    yy: new Float64Array(n + 1),
    ty: new Float64Array(n + 1),
  };
  for (let i = 0; i < n; i++) {
    // Centered and scaled so that the sums stay small and the subtractions below lose no precision.
    const t = (i - n / 2) / Math.max(1, n);
    const y = (values[i]! - center) / scale;
    const w = (scale / sigmas[i]!) ** 2;
    sums.w[i + 1] = sums.w[i]! + w;
    sums.t[i + 1] = sums.t[i]! + w * t;
    sums.tt[i + 1] = sums.tt[i]! + w * t * t;
    sums.y[i + 1] = sums.y[i]! + w * y;
    sums.yy[i + 1] = sums.yy[i]! + w * y * y;
    sums.ty[i + 1] = sums.ty[i]! + w * t * y;
  }
  return (start, end) => {
    const w = sums.w[end]! - sums.w[start]!;
    const st = sums.t[end]! - sums.t[start]!;
    const sy = sums.y[end]! - sums.y[start]!;
    const ctt = sums.tt[end]! - sums.tt[start]! - (st * st) / w;
    const cyy = sums.yy[end]! - sums.yy[start]! - (sy * sy) / w;
    const cty = sums.ty[end]! - sums.ty[start]! - (st * sy) / w;
    const rss = withSlope && ctt > 1e-12 ? cyy - (cty * cty) / ctt : cyy;
    return Math.max(0, rss);
  };
}
