import type { App } from './app.ts';
import type { CycleReport } from './cycle/run-cycle.ts';
import type { CycleType } from './ports/analyzer.ts';
import { autoExecuteWaiting } from './proposals/auto-execution.ts';
import type { JobDefinition } from './schedule/scheduler.ts';

/** Every job the service may schedule, in the order the health route lists them. */
export const JOB_NAMES = ['daily-analysis', 'weekly-proposals', 'monthly-refactoring', 'hourly-auto-execution', 'daily-digest'] as const;

export interface ScheduledJobExtras {
  /** Posts (or edits) the day's digest; absent when no surface can show one. */
  digest?: (now: Date) => Promise<void | Record<string, number>>;
}

/**
 * The seed's schedule: daily analysis, weekly proposals, monthly refactoring, hourly auto-execution
 * of what may run without a click, and the daily digest; each cron comes from config.
 */
export function scheduledJobs(app: Pick<App, 'config' | 'runCycle' | 'jobStore' | 'jobDecisions'>, extras: ScheduledJobExtras = {}): JobDefinition[] {
  const { schedule } = app.config;
  const cycle = (name: string, cron: string, type: CycleType): JobDefinition => ({
    name,
    cron,
    async run() {
      const { report } = await app.runCycle({ type });
      return cycleCounts(report);
    },
  });
  const jobs: JobDefinition[] = [
    cycle('daily-analysis', schedule.daily, 'daily'),
    cycle('weekly-proposals', schedule.weekly, 'weekly'),
    cycle('monthly-refactoring', schedule.monthly, 'monthly'),
    {
      name: 'hourly-auto-execution',
      cron: schedule.autoExecute,
      async run({ slot }) {
        if (!app.jobDecisions.canExecute()) return { executed: 0, failed: 0, skipped: 0 };
        const outcomes = await autoExecuteWaiting(
          { store: app.jobStore, decisions: app.jobDecisions, settings: app.config.analysis, approvePending: app.config.analysis.autoExecute },
          // One key per slot: a replica that re-runs the slot after a lost lease approves and executes nothing twice.
          `hourly-auto-execution:${slot.toISOString()}`,
          new Date(),
        );
        return {
          executed: outcomes.filter((o) => o.outcome === 'implemented').length,
          failed: outcomes.filter((o) => o.outcome === 'failed').length,
          skipped: outcomes.filter((o) => o.outcome.startsWith('skipped') || o.outcome.startsWith('not ')).length,
        };
      },
    },
  ];
  const digest = extras.digest;
  if (digest) jobs.push({ name: 'daily-digest', cron: schedule.digest, run: ({ slot }) => digest(slot) });
  return jobs;
}

function cycleCounts(report: CycleReport): Record<string, number> {
  return {
    findings: report.findings,
    created: report.created.length,
    updated: report.updated.length,
    suppressed: report.suppressed.length,
    autoExecuted: report.autoExecuted.filter((a) => a.outcome === 'implemented').length,
    errors: report.errors.length,
  };
}
