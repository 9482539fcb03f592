import { describe, expect, it } from 'vitest';
import { findHourlyRegression, type HourlyPoint } from '../../../src/analyzers/performance/hourly-regression.ts';
import { seededRandom } from '../../../src/analyzers/performance/seeded-random.ts';

const HOUR = 3600 * 1000;
const START = Date.UTC(2026, 10, 1);

/** 30 days of hourly p95 with a daily cycle (busy afternoons are slower) and 10% noise. */
function traffic(seed: number, factor: (hoursFromEnd: number) => number): HourlyPoint[] {
  const random = seededRandom(seed);
  const n = 30 * 24;
  return Array.from({ length: n }, (_, i) => {
    const daily = 1 + 0.4 * Math.sin((2 * Math.PI * (i % 24)) / 24);
    const noise = Math.exp(0.1 * (random() + random() + random() - 1.5) * 2);
    return { t: new Date(START + i * HOUR), p95Ms: 300 * daily * noise * factor(n - i) };
  });
}

describe('findHourlyRegression', () => {
  it('finds a x2 step six hours after its onset, with the onset to the hour', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const points = traffic(seed, (fromEnd) => (fromEnd <= 6 ? 2 : 1));
      const found = findHourlyRegression(points);
      expect(found, `seed ${seed}`).toBeDefined();
      expect(found!.onset).toEqual(points[points.length - 6]!.t);
      expect(found!.pValue).toBeLessThanOrEqual(0.01);
      expect(found!.hoursSince).toBe(6);
    }
  });

  it('finds a x1.5 step within 24 hours', () => {
    for (let seed = 1; seed <= 20; seed++)
      expect(findHourlyRegression(traffic(seed, (fromEnd) => (fromEnd <= 24 ? 1.5 : 1))), `seed ${seed}`).toBeDefined();
  });

  it('raises nothing for a spike of two hours, whether it is over or still going', () => {
    for (let seed = 1; seed <= 20; seed++) {
      expect(findHourlyRegression(traffic(seed, (fromEnd) => (fromEnd <= 2 ? 3 : 1)))).toBeUndefined();
      expect(findHourlyRegression(traffic(seed, (fromEnd) => (fromEnd > 5 && fromEnd <= 7 ? 3 : 1)))).toBeUndefined();
    }
  });

  it('raises nothing for a regression already fixed, for day/night swings or for slow drift', () => {
    for (let seed = 1; seed <= 20; seed++) {
      expect(findHourlyRegression(traffic(seed, (fromEnd) => (fromEnd > 10 && fromEnd <= 40 ? 2 : 1)))).toBeUndefined();
      expect(findHourlyRegression(traffic(seed, () => 1))).toBeUndefined();
      expect(findHourlyRegression(traffic(seed, (fromEnd) => 1.04 ** ((30 * 24 - fromEnd) / 168)))).toBeUndefined();
    }
  });

  it('leaves a step older than its scan window to the daily detector instead of re-dating it', () => {
    for (let seed = 1; seed <= 10; seed++)
      for (const days of [7.5, 8, 10])
        expect(
          findHourlyRegression(traffic(seed, (fromEnd) => (fromEnd <= days * 24 ? 3 : 1))),
          `seed ${seed}, ${days} days`,
        ).toBeUndefined();
  });

  it('reports the levels before and after the onset at the hours since it', () => {
    const points = traffic(3, (fromEnd) => (fromEnd <= 12 ? 2 : 1));
    const found = findHourlyRegression(points)!;
    expect(found.afterMs / found.beforeMs).toBeGreaterThan(1.7);
    expect(found.afterMs / found.beforeMs).toBeLessThan(2.3);
    expect(found.hoursSince).toBe(12);
  });
});
