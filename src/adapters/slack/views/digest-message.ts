import type { KnownBlock } from '@slack/types';
import type { ProposalSummary } from '../../../ports/store.ts';
import { context, divider, header, section } from './block-builders.ts';
import { fitBlocks } from './block-limits.ts';
import type { SlackMessage } from './proposal-message.ts';
import { typeLabel } from './proposal-message.ts';
import { dashboardProposalUrl, linkOrText } from './dashboard-links.ts';
import { clip } from './untrusted-text.ts';

export interface DigestData {
  /** The day the digest is for, YYYY-MM-DD (UTC). */
  day: string;
  newProposals: ProposalSummary[];
  /** Pending, filed before the last 24 hours and not overdue: each proposal is listed in one place only. */
  waiting: ProposalSummary[];
  implemented: ProposalSummary[];
  /** Pending longer than the reminder age, oldest first, with their age in hours. */
  overdue: { proposal: ProposalSummary; hours: number }[];
  reminderHours: number;
  /** Said under the lists when the pending ones are in learned order. */
  rankingBasis?: string;
  gains: { optimizedEndpoints: number; totalResponseTimeReduced: number; averageReductionPercent: number | null };
}

const LISTED = 8;

export interface DigestOptions {
  /** PUBLIC_URL: each item's title links to its dashboard page; unset → plain titles. */
  publicUrl?: string;
}

function list(items: ProposalSummary[], line: (p: ProposalSummary) => string): string {
  if (!items.length) return '_none_';
  const shown = items.slice(0, LISTED).map(line);
  if (items.length > LISTED) shown.push(`…and ${items.length - LISTED} more`);
  return shown.join('\n');
}

/** One message a day; re-rendered (chat.update) as the day's numbers change. */
export function renderDigest(data: DigestData, options: DigestOptions = {}): SlackMessage {
  const gains = data.gains;
  const title = (p: ProposalSummary) => linkOrText(dashboardProposalUrl(options.publicUrl, p.id), clip(p.title, 150));
  const item = (p: ProposalSummary) => `• ${title(p)} (${typeLabel(p.type)}, ${p.priority})`;
  const blocks: KnownBlock[] = [
    header(`Improvement digest ${data.day}`),
    section(`*New proposals (${data.newProposals.length})*\n${list(data.newProposals, item)}`),
    section(
      `*Also waiting for approval, filed earlier (${data.waiting.length}${data.overdue.length ? `, and ${data.overdue.length} overdue below` : ''})*\n${list(data.waiting, item)}`,
    ),
    section(`*Implemented (${data.implemented.length})*\n${list(data.implemented, item)}`),
    section(
      `*Realized gains*\n${gains.optimizedEndpoints} endpoints faster, ${Math.round(gains.totalResponseTimeReduced)} ms saved in total` +
        (gains.averageReductionPercent !== null ? `, ${gains.averageReductionPercent.toFixed(1)}% on average` : ''),
    ),
  ];
  if (data.overdue.length) {
    blocks.push(
      divider(),
      section(
        `:alarm_clock: *Pending longer than ${data.reminderHours} h*\n${list(
          data.overdue.map((o) => o.proposal),
          (p) => `• ${title(p)}: ${Math.floor(data.overdue.find((o) => o.proposal.id === p.id)?.hours ?? 0)} h`,
        )}`,
      ),
    );
  }
  if (data.rankingBasis) blocks.push(context(clip(data.rankingBasis, 500)));
  blocks.push(context('Use `/improve proposals pending` to see them all.'));
  const text = `Improvement digest ${data.day}: ${data.newProposals.length} new, ${data.waiting.length + data.overdue.length} waiting, ${data.implemented.length} implemented`;
  return { text, blocks: fitBlocks(blocks, 'message') };
}
