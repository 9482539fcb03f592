import { setTimeout as sleep } from 'node:timers/promises';
import type { CycleReport, CycleRunner } from '../cycle/run-cycle.ts';
import type { ProposalStore } from '../ports/store.ts';
import type { Decisions } from '../proposals/decisions.ts';
import { CycleAlreadyRunning } from '../domain/errors.ts';
import type { CycleType } from '../ports/analyzer.ts';
import { autoExecuteWaiting } from '../proposals/auto-execution.ts';
import type { Config } from '../config.ts';
import type { JobRecords } from './job-records.ts';
import { readJobStatuses, type JobStatus } from './job-status.ts';
import type { JobDefinition } from './scheduler.ts';

const CYCLE_RETRY_MS = 5000;

/** Every job the service may schedule, in the order the health route lists them. */
export const JOB_NAMES = [
  'daily-analysis',
  'weekly-proposals',
  'monthly-refactoring',
  'hourly-auto-execution',
  'regression-watch',
  'daily-digest',
] as const;

/** What the jobs run: the cycle runner and the decisions on the job store (the patient one). */
export interface ServiceJobDeps {
  config: Pick<Config, 'schedule' | 'analysis'>;
  runCycle: CycleRunner;
  jobStore: ProposalStore;
  jobDecisions: Decisions;
}

export interface ScheduledJobExtras {
  /** Posts (or edits) the day's digest; absent when no surface can show one. */
  digest?: (now: Date) => Promise<void | Record<string, number>>;
  /** The pull-request poll (GITHUB_TOKEN set, no webhook secret): its own cron, SCHEDULE_PULL_REQUESTS. */
  pullRequestPoll?: { cron: string; run(): Promise<Record<string, number>> };
  /** How long a scheduled cycle waits before trying again while another cycle runs. */
  cycleRetryMs?: number;
}

/**
 * The seed's schedule: daily analysis, weekly proposals, monthly refactoring, hourly auto-execution
 * of what may run without a click, and the daily digest; each cron comes from config.
 */
export function scheduledJobs(app: ServiceJobDeps, extras: ScheduledJobExtras = {}): JobDefinition[] {
  const crons = jobCrons(app.config.schedule);
  const cycle = (name: string, cron: string, type: CycleType): JobDefinition => ({
    name,
    cron,
    async run({ signal }) {
      // A cycle someone started by hand (/improve analyze, POST /analyze) is waited out, not
      // counted as this slot's failure: a claimed slot is never run again.
      for (;;) {
        try {
          const { report } = await app.runCycle({ type });
          return cycleCounts(report);
        } catch (error) {
          if (!(error instanceof CycleAlreadyRunning)) throw error;
          await sleep(extras.cycleRetryMs ?? CYCLE_RETRY_MS, undefined, { signal });
        }
      }
    },
  });
  const jobs: JobDefinition[] = [
    cycle('daily-analysis', crons['daily-analysis'], 'daily'),
    cycle('weekly-proposals', crons['weekly-proposals'], 'weekly'),
    cycle('monthly-refactoring', crons['monthly-refactoring'], 'monthly'),
    {
      name: 'hourly-auto-execution',
      cron: crons['hourly-auto-execution'],
      async run({ slot }) {
        if (!app.jobDecisions.canExecute()) return { executed: 0, failed: 0, skipped: 0 };
        const outcomes = await autoExecuteWaiting(
          {
            store: app.jobStore,
            decisions: app.jobDecisions,
            settings: app.config.analysis,
            approvePending: app.config.analysis.autoExecute,
          },
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
  // The hourly latency-regression detector alone: a regression is proposed within hours of its onset.
  jobs.push(cycle('regression-watch', crons['regression-watch'], 'regression-watch'));
  const digest = extras.digest;
  if (digest) jobs.push({ name: 'daily-digest', cron: crons['daily-digest'], run: ({ slot }) => digest(slot) });
  const poll = extras.pullRequestPoll;
  if (poll) jobs.push({ name: 'pull-request-poll', cron: poll.cron, run: () => poll.run() });
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

/** Each job's cron from config. */
export function jobCrons(schedule: Config['schedule']): Record<(typeof JOB_NAMES)[number], string> {
  return {
    'daily-analysis': schedule.daily,
    'weekly-proposals': schedule.weekly,
    'monthly-refactoring': schedule.monthly,
    'hourly-auto-execution': schedule.autoExecute,
    'regression-watch': schedule.regressionWatch,
    'daily-digest': schedule.digest,
  };
}

/**
 * The pull-request poll's cron when the server schedules it: a code host is configured without a
 * webhook secret (with one, deliveries replace the poll).
 */
export function pullRequestPollCron(config: Pick<Config, 'github' | 'gitlab'>): string | undefined {
  const host = config.github ?? config.gitlab;
  return host && !host.webhookSecret ? host.pollCron : undefined;
}

/**
 * What every job did lately and when it runs next, read from config and the shared job records, so
 * any process (the CLI, a replica whose scheduler is off) can tell without a scheduler of its own.
 * `nextRun` is null while the scheduler is off. The pull-request poll is listed when it is scheduled.
 */
export function jobStatuses(
  config: Pick<Config, 'schedule' | 'enableSelfImprovement' | 'github' | 'gitlab'>,
  records: JobRecords,
  recentPerJob = 5,
  now = new Date(),
): Promise<JobStatus[]> {
  const crons = jobCrons(config.schedule);
  const poll = pullRequestPollCron(config);
  return readJobStatuses(
    [...JOB_NAMES.map((job) => ({ job, cron: crons[job] })), ...(poll ? [{ job: 'pull-request-poll', cron: poll }] : [])],
    { timezone: config.schedule.timezone, records, firing: config.enableSelfImprovement, recentPerJob, now },
  );
}
