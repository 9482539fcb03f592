import type { AnalysisWindow, CycleType } from '../ports/analyzer.ts';

const DAY = 24 * 3600 * 1000;

/**
 * The telemetry window each cycle reads: daily = the previous UTC day, weekly = the previous 7 days,
 * monthly and full = the previous 30 days; all end at the start of the `asOf` day, so the same
 * --as-of always reads the same rows.
 */
export function cycleWindow(cycle: CycleType, asOf: Date): AnalysisWindow {
  const to = new Date(Math.floor(asOf.getTime() / DAY) * DAY);
  const days = cycle === 'daily' ? 1 : cycle === 'weekly' ? 7 : 30;
  return { from: new Date(to.getTime() - days * DAY), to };
}
