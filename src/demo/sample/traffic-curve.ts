import type { SampleRandom } from './sample-random.ts';

/**
 * When traffic happens: a diurnal curve peaking at 15:00 UTC (Europe's afternoon, America's
 * morning) and at a third of the peak around 03:00, with weekends at 60 % of weekdays.
 */
export function trafficWeight(epochMs: number): number {
  const date = new Date(epochMs);
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
  const daily = 1 + 0.5 * Math.cos((2 * Math.PI * (hour - 15)) / 24);
  const weekday = date.getUTCDay();
  return daily * (weekday === 0 || weekday === 6 ? 0.6 : 1);
}

const MAX_WEIGHT = 1.5;

/** `count` instants in [fromMs, toMs), whole milliseconds, drawn along the traffic curve and sorted. */
export function sampleTimes(count: number, fromMs: number, toMs: number, random: SampleRandom): Float64Array {
  const times = new Float64Array(count);
  const span = toMs - fromMs;
  for (let i = 0; i < count; ) {
    const candidate = fromMs + Math.floor(random.uniform() * span);
    // Rejection sampling: accept with probability weight / max, which draws along the curve.
    if (random.uniform() * MAX_WEIGHT < trafficWeight(candidate)) times[i++] = candidate;
  }
  return times.sort();
}
