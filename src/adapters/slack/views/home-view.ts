import type { HomeView, KnownBlock } from '@slack/types';
import type { ProposalSummary } from '../../../ports/store.ts';
import type { MetricsReport } from '../../../proposals/metrics.ts';
import { actions, context, divider, section } from './block-builders.ts';
import { metricsBlocks } from './metrics-blocks.ts';
import { fitBlocks } from './block-limits.ts';
import { proposalButtons, typeLabel } from './proposal-message.ts';
import { clip } from './untrusted-text.ts';

export interface ScheduleStatus {
  nextRuns: { job: string; at: string }[];
  lastRuns: { job: string; slot: string; startedAt: string; finishedAt: string; outcome: string; error?: string }[];
}

export interface HomeData {
  metrics: MetricsReport;
  pending: ProposalSummary[];
  /** Whether this user may approve: the list is "waiting for you" and carries buttons. */
  canDecide: boolean;
  schedule?: ScheduleStatus;
}

/** Pending proposals with buttons: 4 blocks each keeps 15 of them well inside 100 blocks. */
const PENDING_SHOWN = 15;

export function renderHome(data: HomeData): HomeView {
  const blocks: KnownBlock[] = metricsBlocks(data.metrics, 'Improvement loop');
  const schedule = data.schedule;
  if (schedule) {
    const last = [...schedule.lastRuns].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt))[0];
    const next = [...schedule.nextRuns].sort((a, b) => a.at.localeCompare(b.at))[0];
    blocks.push(
      context(
        last
          ? `Last run: *${clip(last.job, 40)}* ${clip(last.outcome, 40)} at ${clip(last.finishedAt, 40)}${last.error && data.canDecide ? ` (${clip(last.error, 200)})` : ''}`
          : 'No run yet',
        next ? `Next run: *${clip(next.job, 40)}* at ${clip(next.at, 40)}` : 'No run scheduled',
      ),
    );
  }
  blocks.push(divider(), section(`*${data.canDecide ? 'Waiting for you' : 'Waiting for approval'} (${data.pending.length})*`));
  for (const p of data.pending.slice(0, PENDING_SHOWN)) {
    blocks.push(section(`*${clip(p.title, 200)}*\n${typeLabel(p.type)} · ${clip(p.priority, 20)} · ${clip(p.summary, 400)}`));
    if (data.canDecide) blocks.push(actions(`home:${p.id}`, proposalButtons(p)));
  }
  if (data.pending.length > PENDING_SHOWN)
    blocks.push(context(`…and ${data.pending.length - PENDING_SHOWN} more: \`/improve proposals pending\``));
  if (!data.pending.length) blocks.push(context('Nothing is waiting.'));
  return { type: 'home', blocks: fitBlocks(blocks, 'view') };
}
