/**
 * When a job's slots fall, in UTC. node-schedule (not installed yet) fires the slots; these give
 * the same slots as plain functions so catch-up can ask "which slot did we miss?" without a
 * scheduler. `cron` is the same rule for node-schedule: `scheduleJob({ rule: cron, tz: 'Etc/UTC' }, fire)`.
 */
export interface JobSchedule {
  cron: string;
  /** The latest slot at or before `now`. */
  previousSlot(now: Date): Date;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export function hourlyAt(minute: number): JobSchedule {
  return {
    cron: `${minute} * * * *`,
    previousSlot(now) {
      const slot = new Date(now);
      slot.setUTCMinutes(minute, 0, 0);
      return slot > now ? new Date(slot.getTime() - HOUR) : slot;
    },
  };
}

export function dailyAt(hour: number, minute = 0): JobSchedule {
  return {
    cron: `${minute} ${hour} * * *`,
    previousSlot(now) {
      const slot = new Date(now);
      slot.setUTCHours(hour, minute, 0, 0);
      return slot > now ? new Date(slot.getTime() - DAY) : slot;
    },
  };
}

/** `weekday`: 0 Sunday … 6 Saturday, as in cron. */
export function weeklyAt(weekday: number, hour: number, minute = 0): JobSchedule {
  const daily = dailyAt(hour, minute);
  return {
    cron: `${minute} ${hour} * * ${weekday}`,
    previousSlot(now) {
      const slot = daily.previousSlot(now);
      const back = (slot.getUTCDay() - weekday + 7) % 7;
      return new Date(slot.getTime() - back * DAY);
    },
  };
}

/** `day`: 1–28, so every month has it. */
export function monthlyAt(day: number, hour: number, minute = 0): JobSchedule {
  if (day < 1 || day > 28) throw new RangeError(`monthly day must be 1-28, got ${day}`);
  return {
    cron: `${minute} ${hour} ${day} * *`,
    previousSlot(now) {
      const slot = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), day, hour, minute));
      return slot > now ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, day, hour, minute)) : slot;
    },
  };
}
