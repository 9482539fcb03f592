/**
 * The tests behind a before/after verdict. Pure functions, no I/O; each returns a two-sided p-value
 * and an interval for the effect, so a verdict can say how sure it is and how big the change was.
 */
import { seededRandom } from '../../analyzers/performance/seeded-random.ts';

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export interface TestResult {
  pValue: number;
  /** The effect's point estimate and a 95% interval. */
  estimate: number;
  low: number;
  high: number;
}

/**
 * Mann–Whitney U (Wilcoxon rank-sum), normal approximation with tie and continuity corrections;
 * p is two-sided. Latency is skewed and heavy-tailed, so a rank test, not a t-test.
 */
export function mannWhitney(before: readonly number[], after: readonly number[]): { u: number; z: number; pValue: number } {
  const n1 = before.length;
  const n2 = after.length;
  if (!n1 || !n2) return { u: 0, z: 0, pValue: 1 };
  const all = [...before.map((v) => ({ v, g: 0 })), ...after.map((v) => ({ v, g: 1 }))].sort((a, b) => a.v - b.v);
  let rankSumAfter = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j += 1;
    const rank = (i + j + 2) / 2;
    const ties = j - i + 1;
    tieTerm += ties ** 3 - ties;
    for (let k = i; k <= j; k += 1) if (all[k]!.g === 1) rankSumAfter += rank;
    i = j + 1;
  }
  const u = rankSumAfter - (n2 * (n2 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, pValue: 1 };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, z: Math.sign(u - mean) * Math.max(0, z), pValue: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * after/before ratio of medians with a percentile bootstrap interval (seeded, so a verdict does not
 * flicker between runs), and the Mann–Whitney p-value of the same two samples.
 */
export function medianRatioTest(before: readonly number[], after: readonly number[], resamples = 2000, seed = 1): TestResult {
  const estimate = median(after) / median(before);
  const random = seededRandom(seed);
  const draw = (values: readonly number[]) => Array.from(values, () => values[Math.floor(random() * values.length)]!);
  const ratios = Array.from({ length: resamples }, () => median(draw(after)) / median(draw(before))).sort((a, b) => a - b);
  return {
    pValue: mannWhitney(before, after).pValue,
    estimate,
    low: ratios[Math.floor(resamples * 0.025)]!,
    high: ratios[Math.min(resamples - 1, Math.floor(resamples * 0.975))]!,
  };
}

/** ln Γ by Lanczos (g = 7), for binomial terms with large counts. */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i += 1) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function binomialPmf(k: number, n: number, p: number): number {
  if (p <= 0) return k === 0 ? 1 : 0;
  if (p >= 1) return k === n ? 1 : 0;
  return Math.exp(logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log(1 - p));
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
function binomialCdf(k: number, n: number, p: number): number {
  let sum = 0;
  for (let i = 0; i <= k; i += 1) sum += binomialPmf(i, n, p);
  return Math.min(1, sum);
}

/** The p for which P(X ≤ k) (upper) or P(X ≥ k) (lower) is `tail`, by bisection: Clopper–Pearson bounds. */
function clopperPearson(k: number, n: number, tail: number, side: 'low' | 'high'): number {
  if (side === 'low' && k === 0) return 0;
  if (side === 'high' && k === n) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i += 1) {
    const mid = (lo + hi) / 2;
    const value = side === 'low' ? 1 - binomialCdf(k - 1, n, mid) : binomialCdf(k, n, mid);
    if (side === 'low' ? value < tail : value > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Above this many events the exact sums cost seconds; the log rate ratio is then normal to within 1e-3. */
const EXACT_LIMIT = 5000;

function largeCountRateTest(before: number, after: number, exposureBefore: number, exposureAfter: number): TestResult {
  const estimate = after / exposureAfter / (before / exposureBefore);
  const se = Math.sqrt(1 / before + 1 / after);
  const z = Math.log(estimate) / se;
  return {
    pValue: 2 * (1 - normalCdf(Math.abs(z))),
    estimate,
    low: Math.exp(Math.log(estimate) - 1.96 * se),
    high: Math.exp(Math.log(estimate) + 1.96 * se),
  };
}

/**
 * Poisson rate ratio after/before, by the exact conditional test: given n = before + after events,
 * `after` is Binomial(n, π) with π = e_a / (e_a + e_b) when the rate did not change. The interval
 * converts the Clopper–Pearson interval of π into one for the ratio.
 */
export function poissonRateTest(before: number, after: number, exposureBefore = 1, exposureAfter = 1): TestResult {
  const n = before + after;
  const ratio = (rate: number) => (rate / (1 - rate)) * (exposureBefore / exposureAfter);
  if (n === 0) return { pValue: 1, estimate: 1, low: 0, high: Infinity };
  if (n > EXACT_LIMIT && before > 0 && after > 0) return largeCountRateTest(before, after, exposureBefore, exposureAfter);
  const pi0 = exposureAfter / (exposureAfter + exposureBefore);
  const observed = binomialPmf(after, n, pi0);
  // Two-sided by the likelihood of the outcome (as R's binom.test): every outcome no more likely than what was seen.
  let pValue = 0;
  for (let k = 0; k <= n; k += 1) {
    const pk = binomialPmf(k, n, pi0);
    if (pk <= observed * (1 + 1e-7)) pValue += pk;
  }
  const low = clopperPearson(after, n, 0.025, 'low');
  const high = clopperPearson(after, n, 0.025, 'high');
  return {
    pValue: Math.min(1, pValue),
    estimate: before === 0 ? Infinity : after / exposureAfter / (before / exposureBefore),
    low: ratio(low),
    high: high >= 1 ? Infinity : ratio(high),
  };
}

/** Difference of two proportions (after − before), two-sided z test with a pooled variance and a Wald interval. */
export function twoProportionTest(successBefore: number, totalBefore: number, successAfter: number, totalAfter: number): TestResult {
  if (!totalBefore || !totalAfter) return { pValue: 1, estimate: 0, low: -1, high: 1 };
  const p1 = successBefore / totalBefore;
  const p2 = successAfter / totalAfter;
  const pooled = (successBefore + successAfter) / (totalBefore + totalAfter);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / totalBefore + 1 / totalAfter));
  const se = Math.sqrt((p1 * (1 - p1)) / totalBefore + (p2 * (1 - p2)) / totalAfter);
  const z = se0 > 0 ? (p2 - p1) / se0 : 0;
  return { pValue: se0 > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : 1, estimate: p2 - p1, low: p2 - p1 - 1.96 * se, high: p2 - p1 + 1.96 * se };
}
