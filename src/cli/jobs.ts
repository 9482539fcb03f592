import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { EXIT } from './errors.ts';
import { printJson, renderTable } from './terminal.ts';

/**
 * `auto-execute`: the hourly job once, for cron (scripts/setup-cron.sh) or by hand.
 * `jobs`: what the scheduled jobs did lately, as the server's scheduler recorded it.
 */
export function registerJobCommands(program: Command, context: CliContext): void {
  program
    .command('auto-execute')
    .description(
      'execute what may run without a click: proposals approved for automatic execution and, with AUTO_EXECUTE=true, eligible pending ones, within MAX_AUTO_FIXES_PER_DAY',
    )
    .option('--json', 'print the outcomes as JSON')
    .action(async (flags: { json?: boolean }) => {
      // Loaded when the command runs, so `--help` and the other commands start without them.
      const { autoExecuteWaiting } = await import('../proposals/auto-execution.ts');
      context.exitCode = await context.withApp(flags, async (app) => {
        if (!app.jobDecisions.canExecute()) {
          context.io.stderr.write('No executor is configured (EXECUTION_ENABLED=false): nothing can be executed.\n');
          return EXIT.failure;
        }
        const now = new Date();
        // One key per hour: a cron line that runs twice in the same hour executes nothing twice.
        const runKey = `cli-auto-execute:${now.toISOString().slice(0, 13)}`;
        const outcomes = await autoExecuteWaiting(
          {
            store: app.jobStore,
            decisions: app.jobDecisions,
            settings: app.config.analysis,
            approvePending: app.config.analysis.autoExecute,
          },
          runKey,
          now,
        );
        if (flags.json) printJson(context.io.stdout, { outcomes });
        else
          context.io.stdout.write(
            outcomes.length
              ? `${renderTable(
                  ['id', 'outcome'],
                  outcomes.map((o) => [o.id, o.outcome]),
                )}\n`
              : 'Nothing to execute.\n',
          );
        return outcomes.some((o) => o.outcome === 'failed') ? EXIT.failure : EXIT.ok;
      });
    });

  program
    .command('jobs')
    .description('show the scheduled jobs: cron, next run, last success and recent runs')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      const [{ cronSchedule }, { jobStatuses }, { describeScheduler, schedulerEvidence }] = await Promise.all([
        import('../schedule/job-schedule.ts'),
        import('../schedule/service-jobs.ts'),
        import('./scheduler-evidence.ts'),
      ]);
      context.exitCode = await context.withApp(flags, async (app) => {
        const { schedule } = app.config;
        const jobs = (await jobStatuses(app.config, app.coordination.records)).map((j) => ({
          ...j,
          // The CLI shows when a job would run next even while the server's scheduler is off.
          nextRun: j.nextRun ?? cronSchedule(j.cron, schedule.timezone).nextSlot(new Date()).toISOString(),
        }));
        const evidence = schedulerEvidence(jobs, schedule.timezone, new Date());
        if (flags.json) {
          printJson(context.io.stdout, {
            enabled: app.config.enableSelfImprovement,
            scheduler: { running: evidence.running, latest: evidence.latest },
            timezone: schedule.timezone,
            jobs,
          });
          return EXIT.ok;
        }
        const rows = jobs.map((j) => {
          const last = j.recent[0];
          const counts = last?.counts
            ? Object.entries(last.counts)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')
            : '';
          return [
            j.job,
            j.cron,
            j.nextRun,
            j.lastSuccess ?? 'never',
            last ? `${last.outcome}${last.error ? `: ${last.error}` : ''}${counts ? ` (${counts})` : ''}` : '-',
          ];
        });
        context.io.stdout.write(
          `${describeScheduler(evidence, app.config.enableSelfImprovement)}\nTimes in UTC, crons in ${schedule.timezone}\n` +
            `${renderTable(['job', 'cron', 'next run', 'last success', 'last run'], rows)}\n`,
        );
        return EXIT.ok;
      });
    });
}
