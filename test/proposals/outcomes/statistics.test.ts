import { describe, expect, it } from 'vitest';
import { exactProportionTest, fisherExactPValue, wilsonInterval } from '../../../src/proposals/outcomes/fisher-exact.ts';
import { mannWhitney, medianRatioTest, poissonRateTest, twoProportionTest } from '../../../src/proposals/outcomes/statistics.ts';

// Reference values from SciPy 1.x: mannwhitneyu(method='asymptotic', use_continuity=True) and binomtest.
describe('the statistics behind a before/after verdict', () => {
  it('Mann–Whitney matches SciPy, with and without ties', () => {
    expect(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).pValue).toBeCloseTo(0.012185780355344813, 6);
    expect(mannWhitney([1, 2, 2, 3, 4, 5], [2, 6, 7, 8, 9, 10, 3]).pValue).toBeCloseTo(0.044022195041670056, 6);
    expect(mannWhitney([3, 3, 3], [3, 3, 3]).pValue).toBe(1);
  });

  it('the exact Poisson rate test matches binomtest, and its interval is Clopper–Pearson carried to the ratio', () => {
    const result = poissonRateTest(10, 30);
    expect(result.pValue).toBeCloseTo(0.0022214337732293643, 8);
    expect(result.estimate).toBe(3);
    expect(result.low).toBeCloseTo(0.5880380198484636 / (1 - 0.5880380198484636), 4);
    expect(result.high).toBeCloseTo(0.8730852010671533 / (1 - 0.8730852010671533), 4);
    expect(poissonRateTest(20, 20).pValue).toBeCloseTo(1, 6);
  });

  it('large counts use the normal log-ratio test and stay consistent with the exact one', () => {
    const large = poissonRateTest(100_000, 99_000);
    expect(large.estimate).toBeCloseTo(0.99, 6);
    expect(large.pValue).toBeLessThan(0.05);
    expect(large.low).toBeLessThan(0.99);
    expect(large.high).toBeGreaterThan(0.99);
    expect(poissonRateTest(1_000_000, 1_000_000).pValue).toBeCloseTo(1, 6);
  });

  it('a median ratio interval covers the true ratio of a halved sample, and is reproducible', () => {
    const before = Array.from({ length: 60 }, (_, i) => 200 + ((i * 37) % 50));
    const after = before.map((v) => v / 2);
    const first = medianRatioTest(before, after);
    expect(first.estimate).toBeCloseTo(0.5, 6);
    expect(first.low).toBeLessThanOrEqual(0.5);
    expect(first.high).toBeGreaterThanOrEqual(0.5);
    expect(first.pValue).toBeLessThan(1e-6);
    expect(medianRatioTest(before, after)).toEqual(first);
  });

  it('two proportions: a z test on the difference', () => {
    const result = twoProportionTest(50, 100, 70, 100);
    expect(result.estimate).toBeCloseTo(0.2, 9);
    // pooled p 0.6: z = 0.2 / sqrt(0.24 · 0.02) = 2.8868
    expect(result.pValue).toBeCloseTo(0.003892, 5);
  });

  it("Fisher's exact test matches SciPy's fisher_exact, and Newcombe's interval his 1998 worked example", () => {
    // scipy.stats.fisher_exact([[30, 70], [12, 88]]), [[3, 7], [0, 10]] and [[20, 80], [21, 79]]
    expect(fisherExactPValue(30, 100, 12, 100)).toBeCloseTo(0.002866560763284443, 9);
    expect(fisherExactPValue(3, 10, 0, 10)).toBeCloseTo(0.21052631578947367, 9);
    expect(fisherExactPValue(20, 100, 21, 100)).toBeCloseTo(1, 9);
    // Newcombe (1998), Statistics in Medicine 17:873, method 10 on 56/70 against 48/80: 0.0524 to 0.3339.
    const result = exactProportionTest(48, 80, 56, 70);
    expect(result.estimate).toBeCloseTo(0.2, 9);
    expect(result.low).toBeCloseTo(0.0524, 4);
    expect(result.high).toBeCloseTo(0.3339, 4);
    // Wilson for 0 of 10 stays inside [0, 1] where a Wald interval would collapse to a point.
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 4);
  });
});
