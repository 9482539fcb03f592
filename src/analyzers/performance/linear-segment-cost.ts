/**
 * Cost of one segment as a straight line: the residual sum of squares of its least-squares fit, in
 * units of the noise variance. A line, not a level, so that a steady trend is one segment rather
 * than a staircase of false changes, while a step is still two flat segments. Prefix sums make
 * each cost O(1), which is what lets PELT try every segment.
 */
export function linearSegmentCost(values: readonly number[], sigma: number, withSlope = true): (start: number, end: number) => number {
  const n = values.length;
  const center = values.length ? values[0]! : 0;
  const sums = { t: new Float64Array(n + 1), tt: new Float64Array(n + 1), y: new Float64Array(n + 1), yy: new Float64Array(n + 1), ty: new Float64Array(n + 1) };
  for (let i = 0; i < n; i++) {
    // Centered and scaled so that the sums stay small and the subtractions below lose no precision.
    const t = (i - n / 2) / Math.max(1, n);
    const y = (values[i]! - center) / sigma;
    sums.t[i + 1] = sums.t[i]! + t;
    sums.tt[i + 1] = sums.tt[i]! + t * t;
    sums.y[i + 1] = sums.y[i]! + y;
    sums.yy[i + 1] = sums.yy[i]! + y * y;
    sums.ty[i + 1] = sums.ty[i]! + t * y;
  }
  return (start, end) => {
    const m = end - start;
    const st = sums.t[end]! - sums.t[start]!;
    const sy = sums.y[end]! - sums.y[start]!;
    const ctt = sums.tt[end]! - sums.tt[start]! - (st * st) / m;
    const cyy = sums.yy[end]! - sums.yy[start]! - (sy * sy) / m;
    const cty = sums.ty[end]! - sums.ty[start]! - (st * sy) / m;
    const rss = withSlope && ctt > 0 ? cyy - (cty * cty) / ctt : cyy;
    return Math.max(0, rss);
  };
}
