import { CronExpressionParser } from 'cron-parser';

/**
 * When a job's slots fall: a five-field cron expression in a time zone. node-schedule fires the
 * slots; `previousSlot` gives the same slots as a plain function so catch-up can ask "which slot
 * did we miss?" without a scheduler.
 */
export interface JobSchedule {
  cron: string;
  timezone: string;
  /** The latest slot at or before `now`. */
  previousSlot(now: Date): Date;
  /** The first slot after `now`. */
  nextSlot(now: Date): Date;
}

export function cronSchedule(cron: string, timezone = 'UTC'): JobSchedule {
  // Parsing once here makes a bad expression fail at start, not at the first fire.
  CronExpressionParser.parse(cron, { tz: timezone });
  const from = (currentDate: Date) => CronExpressionParser.parse(cron, { currentDate, tz: timezone });
  return {
    cron,
    timezone,
    // cron-parser's prev() is strictly before its start: one millisecond later makes it "at or before".
    previousSlot: (now) =>
      from(new Date(now.getTime() + 1))
        .prev()
        .toDate(),
    nextSlot: (now) => from(now).next().toDate(),
  };
}
