import { z } from 'zod';
import type { TimeWindow } from '../../ports/warehouse.ts';

const DAY = 24 * 3600 * 1000;
export const MAX_WINDOW_DAYS = 90;

/** A day (2026-11-24) or an instant (2026-11-24T10:00:00Z); a day starts at 00:00 UTC. */
const instant = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/, 'a date such as 2026-11-24 or an ISO instant');

/** Every telemetry tool takes the same window: `since`/`until`, or the last `days` days. */
export const windowInput = {
  since: instant.optional().describe('Start of the window, inclusive (UTC day or ISO instant)'),
  until: instant.optional().describe('End of the window, exclusive; default now'),
  days: z.number().int().min(1).max(MAX_WINDOW_DAYS).optional().describe('Length of the window in days when since is not given; default 7'),
};

export type WindowInput = { since?: string | undefined; until?: string | undefined; days?: number | undefined };

export class WindowError extends Error {}

/** The window a tool reads: [since, until), at most 90 days, never empty, never in the future only. */
export function resolveWindow(input: WindowInput, now: Date): TimeWindow {
  const to = input.until ? parseInstant(input.until) : now;
  const from = input.since ? parseInstant(input.since) : new Date(to.getTime() - (input.days ?? 7) * DAY);
  if (!(from < to)) throw new WindowError(`the window is empty: ${from.toISOString()} is not before ${to.toISOString()}`);
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY) throw new WindowError(`the window is longer than ${MAX_WINDOW_DAYS} days`);
  return { from, to };
}

function parseInstant(text: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) throw new WindowError(`"${text.slice(0, 40)}" is not a date`);
  return date;
}

export function windowLabel(window: TimeWindow): { from: string; to: string } {
  return { from: window.from.toISOString(), to: window.to.toISOString() };
}

/** The window of the same length just before, for "slower than before?". */
export function previousWindow(window: TimeWindow): TimeWindow {
  const length = window.to.getTime() - window.from.getTime();
  return { from: new Date(window.from.getTime() - length), to: window.from };
}
