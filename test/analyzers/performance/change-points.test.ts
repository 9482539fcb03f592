import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findChangePoints, findTimedChangePoints } from '../../../src/analyzers/performance/change-points.ts';
import { covering, f1Score, loadSeries, SERIES_NAMES } from '../../fixtures/changepoints/tcpd.ts';
import { randomData } from '../random-data.ts';

/** A daily p95 series: `level(i)` ms with multiplicative Gaussian noise of `noise` (0.1 = 10%). */
function series(length: number, level: (i: number) => number, noise: number, seed: number): number[] {
  const r = randomData(seed);
  return Array.from({ length }, (_, i) => level(i) * (1 + noise * r.gaussian()));
}

describe('change points in a latency series', () => {
  it('finds a planted step from 300 ms to 900 ms at index 17 of 30, with its size', () => {
    const changes = findChangePoints(series(30, (i) => (i < 17 ? 300 : 900), 0.05, 1));
    expect(changes).toHaveLength(1);
    const [change] = changes;
    expect(change!.index).toBe(17);
    expect(Math.abs(change!.before - 300) / 300).toBeLessThan(0.1);
    expect(Math.abs(change!.after - 900) / 900).toBeLessThan(0.1);
    expect(Math.abs(change!.magnitude - 600) / 600).toBeLessThan(0.1);
    expect(Math.abs(change!.relativeChange! - 2) / 2).toBeLessThan(0.1);
    expect(change!.pValue).toBeLessThanOrEqual(0.01);
  });

  it('always finds the step at 17 ± 1 with its size within 10% in 200 series with 5% noise, rarely with company', () => {
    let withSpuriousCompany = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const changes = findChangePoints(series(30, (i) => (i < 17 ? 300 : 900), 0.05, seed));
      const step = changes.find((c) => Math.abs(c.index - 17) <= 1);
      expect(step).toBeDefined();
      expect(Math.abs(step!.magnitude - 600) / 600).toBeLessThan(0.1);
      if (changes.length > 1) withSpuriousCompany += 1;
    }
    expect(withSpuriousCompany / 200).toBeLessThanOrEqual(0.02);
  });

  // A line per segment can absorb a step into a slope when the noise after it is three times the
  // noise before (20% of 900 ms); about one series in ten then shows no change.
  it('places the step at 17 ± 1 in at least 85% of 200 series with 20% noise', () => {
    let found = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const changes = findChangePoints(series(30, (i) => (i < 17 ? 300 : 900), 0.2, seed));
      if (changes.some((c) => Math.abs(c.index - 17) <= 1)) found += 1;
    }
    expect(found / 200).toBeGreaterThanOrEqual(0.85);
  });

  it('reports the time of the change for timed points', () => {
    const values = series(30, (i) => (i < 17 ? 300 : 900), 0.1, 2);
    const points = values.map((value, i) => ({ t: new Date(Date.UTC(2026, 2, 1 + i)).toISOString().slice(0, 10), value }));
    expect(findTimedChangePoints(points)).toMatchObject([{ index: 17, t: '2026-03-18' }]);
  });

  it('finds a regression and its fix, which no single split separates', () => {
    const changes = findChangePoints(series(30, (i) => (i >= 10 && i < 20 ? 900 : 300), 0.1, 3));
    expect(changes.map((c) => c.index)).toEqual([10, 20]);
    expect(changes[0]!.magnitude).toBeGreaterThan(0);
    expect(changes[1]!.magnitude).toBeLessThan(0);
  });

  it('finds two successive regressions and gives each its own before and after', () => {
    const changes = findChangePoints(series(45, (i) => (i < 15 ? 300 : i < 30 ? 500 : 800), 0.05, 4));
    expect(changes.map((c) => c.index)).toEqual([15, 30]);
    expect(changes.map((c) => Math.round(c.before / 50) * 50)).toEqual([300, 500]);
    expect(changes.map((c) => Math.round(c.after / 50) * 50)).toEqual([500, 800]);
  });

  it('raises nothing for a single 10x spike', () => {
    const values = series(30, () => 300, 0.1, 5);
    values[12] = 3000;
    expect(findChangePoints(values)).toEqual([]);
  });

  it('raises nothing on a stationary noisy series', () => {
    expect(findChangePoints(series(30, () => 300, 0.2, 6))).toEqual([]);
    expect(findChangePoints(series(720, () => 300, 0.2, 7))).toEqual([]);
  });

  it('raises a false alarm on at most 1% of 400 stationary series, Gaussian or heavy-tailed', () => {
    const r = randomData(8);
    let alarms = 0;
    for (let k = 0; k < 200; k++) {
      if (findChangePoints(series(30, () => 300, 0.2, 1000 + k)).length > 0) alarms += 1;
      const spiky = Array.from({ length: 30 }, () => 300 * Math.exp(0.5 * r.gaussian()) + (r.random() < 0.05 ? 3000 : 0));
      if (findChangePoints(spiky).length > 0) alarms += 1;
    }
    expect(alarms / 400).toBeLessThanOrEqual(0.01);
  });

  it('finds nothing in a constant series, whatever its length and level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (length, level) => {
        expect(findChangePoints(Array.from({ length }, () => level))).toEqual([]);
      }),
    );
  });

  it('finds an exact step in a noiseless series at its index, three points from either end or more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 27 }), fc.integer({ min: 1, max: 1000 }), (at, jump) => {
        const changes = findChangePoints(Array.from({ length: 30 }, (_, i) => (i < at ? 100 : 100 + jump)));
        expect(changes).toMatchObject([{ index: at, before: 100, after: 100 + jump, magnitude: jump }]);
      }),
      { numRuns: 50 },
    );
  });

  it('gives the same answer every time for the same series and seed', () => {
    const values = series(60, (i) => (i < 40 ? 300 : 340), 0.1, 9);
    expect(findChangePoints(values, { seed: 42 })).toEqual(findChangePoints(values, { seed: 42 }));
  });

  it('skips missing values but reports indices of the input', () => {
    const values: number[] = series(30, (i) => (i < 17 ? 300 : 900), 0.1, 10);
    values[5] = NaN;
    values[20] = Number.POSITIVE_INFINITY;
    expect(findChangePoints(values).map((c) => c.index)).toEqual([17]);
  });

  it('ignores a significant shift smaller than the minimum relative change', () => {
    const values = series(60, (i) => (i < 30 ? 300 : 318), 0.01, 11);
    expect(findChangePoints(values)).toMatchObject([{ index: 30 }]);
    expect(findChangePoints(values, { minRelativeChange: 0.1 })).toEqual([]);
  });

  it('finds nothing in a series shorter than two minimum segments', () => {
    expect(findChangePoints([300, 300, 900, 900, 900])).toEqual([]);
  });

  it('finds a step of the last five points of fourteen', () => {
    const changes = findChangePoints([400, 410, 395, 405, 420, 398, 402, 415, 407, 2200, 2250, 2180, 2210, 2230]);
    expect(changes).toMatchObject([{ index: 9, before: 405, after: 2210 }]);
  });

  it('finds a 5x step in the last four points of 30 days, in 100 noisy series', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const changes = findChangePoints(series(30, (i) => (i < 26 ? 300 : 1500), 0.1, 300 + seed));
      expect(changes.map((c) => c.index)).toEqual([26]);
    }
  });

  it('finds a 2x step in the last three points of 30 days', () => {
    const changes = findChangePoints(series(30, (i) => (i < 27 ? 300 : 600), 0.05, 12));
    expect(changes.map((c) => c.index)).toEqual([27]);
  });

  it('cuts a steady trend, rising or falling, in at most 6% of 100 noisy series each', () => {
    let rising = 0;
    let falling = 0;
    for (let seed = 1; seed <= 100; seed++) {
      if (findChangePoints(series(60, (i) => 300 + 3 * i, 0.05, 400 + seed)).length) rising += 1;
      if (findChangePoints(series(45, (i) => 900 - 6 * i, 0.05, 500 + seed)).length) falling += 1;
    }
    expect(rising).toBeLessThanOrEqual(6);
    expect(falling).toBeLessThanOrEqual(6);
  });

  it('does not cut a daily cycle in a week of hourly values, or a weekly cycle in two months of days', () => {
    for (let seed = 1; seed <= 50; seed++) {
      expect(findChangePoints(series(168, (i) => 300 + 120 * Math.sin((2 * Math.PI * i) / 24), 0.05, 600 + seed))).toEqual([]);
      expect(findChangePoints(series(60, (i) => (i % 7 >= 5 ? 180 : 320), 0.05, 700 + seed))).toEqual([]);
    }
  });

  it('still finds a step on top of a trend and on top of a daily cycle', () => {
    const trend = series(60, (i) => 200 + 5 * i + (i >= 40 ? 400 : 0), 0.03, 13);
    expect(findChangePoints(trend).map((c) => c.index)).toEqual([40]);
    const cycle = series(168, (i) => 300 + 100 * Math.sin((2 * Math.PI * i) / 24) + (i >= 120 ? 300 : 0), 0.05, 14);
    expect(findChangePoints(cycle).map((c) => Math.abs(c.index - 120) <= 1)).toEqual([true]);
  });

  // Smooth growth curves (global CO2, Japan's GDP) are where a detector that believes every bit of
  // curvature cuts lines into them; on none of the series may it do worse than reporting nothing.
  it('scores at least the report-nothing F1 on every annotated TCPD series', () => {
    const below = SERIES_NAMES.filter((name) => {
      const { values, annotations } = loadSeries(name);
      const found = findChangePoints(values.map((v) => v ?? NaN)).map((c) => c.index);
      return f1Score(annotations, found) < f1Score(annotations, []) - 1e-9;
    });
    expect(below).toEqual([]);
  });

  it('scores above the report-nothing detector on the annotated TCPD series, in F1 and in covering', () => {
    let f1 = 0;
    let zeroF1 = 0;
    let cover = 0;
    let zeroCover = 0;
    for (const name of SERIES_NAMES) {
      const { values, annotations } = loadSeries(name);
      const found = findChangePoints(values.map((v) => v ?? NaN)).map((c) => c.index);
      f1 += f1Score(annotations, found);
      zeroF1 += f1Score(annotations, []);
      cover += covering(annotations, found, values.length);
      zeroCover += covering(annotations, [], values.length);
    }
    expect(SERIES_NAMES.length).toBeGreaterThanOrEqual(15);
    expect(f1 / SERIES_NAMES.length).toBeGreaterThan(zeroF1 / SERIES_NAMES.length + 0.05);
    expect(cover / SERIES_NAMES.length).toBeGreaterThan(zeroCover / SERIES_NAMES.length);
  });
});
