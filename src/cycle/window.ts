import type { AnalysisWindow, CycleType } from '../ports/analyzer.ts';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/**
 * The telemetry window each cycle reads: daily = the previous UTC day, weekly = the previous 7 days,
 * monthly and full = the previous 30 days; all end at the start of the `asOf` day, so the same
 * --as-of always reads the same rows. The regression watch reads the last complete hour (its detector
 * looks further back on its own), so its report says what it just looked at.
 */
export function cycleWindow(cycle: CycleType, asOf: Date): AnalysisWindow {
  if (cycle === 'regression-watch') {
    const to = new Date(Math.floor(asOf.getTime() / HOUR) * HOUR);
    return { from: new Date(to.getTime() - HOUR), to };
  }
  const to = new Date(Math.floor(asOf.getTime() / DAY) * DAY);
  const days = cycle === 'daily' ? 1 : cycle === 'weekly' ? 7 : 30;
  return { from: new Date(to.getTime() - days * DAY), to };
}
