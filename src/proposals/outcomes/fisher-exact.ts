/**
 * Two proportions compared exactly: Fisher's test for the p-value and Newcombe's hybrid score
 * interval for the difference. A learning proposal's topic may see a few dozen interactions a week,
 * where the z test's normal approximation (statistics.ts twoProportionTest) is off.
 */
import { logGamma, normalCdf, type TestResult } from './statistics.ts';

/** Beyond this many tables in the support, the exact sum costs more than it tells: the z test is then within 1e-3. */
const EXACT_SUPPORT_LIMIT = 200_000;

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Two-sided p of Fisher's exact test on [[xBefore, nBefore − xBefore], [xAfter, nAfter − xAfter]]:
 * given the margins, xAfter is hypergeometric; p sums every table no more likely than the one seen
 * (as SciPy's fisher_exact and R's fisher.test).
 */
export function fisherExactPValue(xBefore: number, nBefore: number, xAfter: number, nAfter: number): number {
  const total = nBefore + nAfter;
  const events = xBefore + xAfter;
  if (!nBefore || !nAfter || events === 0 || events === total) return 1;
  const lowest = Math.max(0, events - nBefore);
  const highest = Math.min(events, nAfter);
  if (highest - lowest > EXACT_SUPPORT_LIMIT) return zPValue(xBefore, nBefore, xAfter, nAfter);
  const base = logChoose(total, events);
  const logPmf = (k: number) => logChoose(nAfter, k) + logChoose(nBefore, events - k) - base;
  const observed = logPmf(xAfter);
  let p = 0;
  for (let k = lowest; k <= highest; k += 1) {
    const lp = logPmf(k);
    // The relative tolerance SciPy uses, so tables tied with the observed one count.
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

function zPValue(xBefore: number, nBefore: number, xAfter: number, nAfter: number): number {
  const pooled = (xBefore + xAfter) / (nBefore + nAfter);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nBefore + 1 / nAfter));
  return se > 0 ? 2 * (1 - normalCdf(Math.abs(xAfter / nAfter - xBefore / nBefore) / se)) : 1;
}

/** Wilson score interval of one proportion at 95%. */
export function wilsonInterval(x: number, n: number, z = 1.959963984540054): { low: number; high: number } {
  if (!n) return { low: 0, high: 1 };
  const p = x / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const denominator = 1 + (z * z) / n;
  return { low: Math.max(0, (centre - spread) / denominator), high: Math.min(1, (centre + spread) / denominator) };
}

/**
 * after − before with Fisher's p and Newcombe's hybrid score interval (his method 10, 1998), which
 * keeps its coverage near 95% with small counts and rates near 0 or 1, where a Wald interval does not.
 */
export function exactProportionTest(xBefore: number, nBefore: number, xAfter: number, nAfter: number): TestResult {
  if (!nBefore || !nAfter) return { pValue: 1, estimate: 0, low: -1, high: 1 };
  const p1 = xBefore / nBefore;
  const p2 = xAfter / nAfter;
  const w1 = wilsonInterval(xBefore, nBefore);
  const w2 = wilsonInterval(xAfter, nAfter);
  const d = p2 - p1;
  return {
    pValue: fisherExactPValue(xBefore, nBefore, xAfter, nAfter),
    estimate: d,
    low: d - Math.sqrt((p2 - w2.low) ** 2 + (w1.high - p1) ** 2),
    high: d + Math.sqrt((w2.high - p2) ** 2 + (p1 - w1.low) ** 2),
  };
}
