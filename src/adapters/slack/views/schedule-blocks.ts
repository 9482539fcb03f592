import type { KnownBlock } from '@slack/types';
import { context, section } from './block-builders.ts';
import type { ScheduleStatus } from './home-view.ts';
import { clip } from './untrusted-text.ts';

/**
 * The scheduled jobs for `/improve metrics`: each job's last run (outcome, when) and next run.
 * Error texts only for people who may decide: a failure's text can name hosts and paths.
 */
export function scheduleBlocks(status: ScheduleStatus, showErrors: boolean): KnownBlock[] {
  const jobs = [...new Set([...status.lastRuns.map((r) => r.job), ...status.nextRuns.map((r) => r.job)])];
  if (!jobs.length) return [context('Scheduled jobs: none have run, and the scheduler is off (ENABLE_SELF_IMPROVEMENT).')];
  const lines = jobs.map((job) => {
    const last = status.lastRuns.find((r) => r.job === job);
    const next = status.nextRuns.find((r) => r.job === job);
    const lastText = last
      ? `last ${clip(last.outcome, 20)} ${clip(last.finishedAt, 30)}${showErrors && last.error ? ` (${clip(last.error, 150)})` : ''}`
      : 'never ran';
    return `• *${clip(job, 40)}*: ${lastText}; ${next ? `next ${clip(next.at, 30)}` : 'not scheduled here'}`;
  });
  return [section(`*Scheduled jobs*\n${lines.join('\n')}`)];
}
