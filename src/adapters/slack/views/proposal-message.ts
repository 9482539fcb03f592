import type { Button, KnownBlock } from '@slack/types';
import type { EvidenceItem, Proposal, ProposalStatus } from '../../../domain/proposal.ts';
import { executeAvailability } from '../../../proposals/execute-availability.ts';
import { testFilesTouched } from '../../executor/rails/test-files.ts';
import { ACTIONS, encodeTarget } from './action-ids.ts';
import { actions, button, context, fields, header, linkButton, section } from './block-builders.ts';
import { dashboardProposalUrl, linkOrText } from './dashboard-links.ts';
import { fitBlocks, LIMITS, truncateText } from './block-limits.ts';
import { cleanPlainText, clip, escapeMrkdwn, showActor } from './untrusted-text.ts';

export interface SlackMessage {
  /** Always set: mobile notifications and screen readers show only this. */
  text: string;
  blocks: KnownBlock[];
}

export interface ProposalViewOptions {
  /** Omit the buttons (a read-only copy, e.g. in a list). */
  readOnly?: boolean;
  /** The executor has an agent to write a change without a patch (without it such a proposal gets no Execute button). */
  hasAgent?: boolean;
  /** PUBLIC_URL: the message links to the proposal's dashboard page; unset → no link. */
  publicUrl?: string;
  /** A signed URL of the proposal's chart as PNG (under PUBLIC_URL); unset → no image. */
  chartImageUrl?: string;
}

/** How many evidence items the message shows; the rest are in Details. */
const EVIDENCE_IN_MESSAGE = 10;

const STATUS_LABEL: Record<ProposalStatus, string> = {
  pending: ':hourglass_flowing_sand: Pending approval',
  approved: ':white_check_mark: Approved',
  rejected: ':no_entry_sign: Rejected',
  executing: ':gear: Executing',
  implemented: ':rocket: Implemented',
  failed: ':x: Execution failed',
  rolled_back: ':leftwards_arrow_with_hook: Rolled back',
};

const TYPE_LABEL: Record<Proposal['type'], string> = {
  learning: 'Learning',
  performance: 'Performance',
  code_quality: 'Code quality',
  feature: 'Feature',
  bug_fix: 'Bug fix',
  security: 'Security',
};

export function typeLabel(type: Proposal['type']): string {
  return TYPE_LABEL[type];
}

export function statusLabel(status: ProposalStatus): string {
  return STATUS_LABEL[status];
}

export function evidenceField(item: EvidenceItem): string {
  const value = `${String(item.value)}${item.unit ? ` ${item.unit}` : ''}`;
  return `*${clip(item.label, 200)}*\n${clip(value, 500)}`;
}

/** "Approved by @ana at 2026-11-24 14:38 UTC", from the last history entry. */
export function decisionLine(proposal: Proposal): string {
  const last = proposal.history[proposal.history.length - 1];
  if (!last) return statusLabel(proposal.status);
  const when = last.at.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  const reason = last.reason ? `: “${clip(last.reason, 400)}”` : '';
  return `*${statusLabel(proposal.status)}* by ${showActor(last.actor)} at ${when}${reason}`;
}

/** Buttons that still make sense for the status: nothing offers a move the lifecycle would refuse. */
export function proposalButtons(
  proposal: Pick<Proposal, 'id' | 'version' | 'status' | 'title' | 'type' | 'patch'>,
  hasAgent = false,
): Button[] {
  const value = encodeTarget({ id: proposal.id, version: proposal.version });
  const details = button({ label: 'Details', actionId: ACTIONS.details, value });
  const approve = (label: string) => button({ label, actionId: ACTIONS.approve, value, style: 'primary' });
  switch (proposal.status) {
    case 'pending':
      return [approve('Approve'), button({ label: 'Reject', actionId: ACTIONS.reject, value, style: 'danger' }), details];
    case 'approved': {
      // Slack buttons cannot be disabled: one that could only fail is left out, and the message says why.
      const can = executeAvailability(proposal, { hasAgent });
      if (!can.available) return [details];
      return [
        button({
          label: 'Execute',
          actionId: ACTIONS.execute,
          value,
          style: 'primary',
          confirm: {
            title: 'Execute this change?',
            text: `“${clip(proposal.title, 150)}”. ${can.reason}.`,
            confirm: 'Execute',
            deny: 'Cancel',
          },
        }),
        details,
      ];
    }
    case 'failed':
      return [approve('Approve retry'), details];
    case 'implemented':
      // Opens a modal that asks why; authorized like Execute when submitted.
      return [button({ label: 'Roll back', actionId: ACTIONS.rollback, value, style: 'danger' }), details];
    default:
      return [details];
  }
}

/**
 * The proposal as a Slack message: header, type / priority / risk, summary, evidence as fields,
 * plan and rollback cut to fit (full text behind Details), the decision line and the buttons.
 * Every piece of proposal text is untrusted (it comes from telemetry and model output) and escaped.
 */
export function renderProposalMessage(proposal: Proposal, options: ProposalViewOptions = {}): SlackMessage {
  const blocks: KnownBlock[] = [
    header(proposal.title),
    ...fields(
      [
        `*Type*\n${typeLabel(proposal.type)}${proposal.category ? ` (${escapeMrkdwn(proposal.category)})` : ''}`,
        `*Priority*\n${escapeMrkdwn(proposal.priority)}`,
        `*Risk*\n${clip(proposal.risk, 600)}`,
        `*Status*\n${statusLabel(proposal.status)}`,
      ],
      800,
    ),
    section(clip(proposal.summary, 1200)),
  ];
  const evidence = proposal.evidence.slice(0, EVIDENCE_IN_MESSAGE);
  if (evidence.length) blocks.push(...fields(evidence.map(evidenceField), 300));
  if (proposal.evidence.length > EVIDENCE_IN_MESSAGE) {
    blocks.push(context(`…and ${proposal.evidence.length - EVIDENCE_IN_MESSAGE} more evidence items (Details)`));
  }
  if (options.chartImageUrl && proposal.series)
    blocks.push(chartImage(options.chartImageUrl, proposal.series.label, proposal.series.mark?.label));
  blocks.push(section(`*Plan*\n${clip(proposal.implementationPlan, 1200)}`));
  blocks.push(section(`*Rollback*\n${clip(proposal.rollbackPlan, 600)}`));
  const testFiles = proposal.patch ? testFilesTouched(proposal.patch) : [];
  if (testFiles.length || (proposal.patch && proposal.changesTests))
    blocks.push(section(`:warning: This change edits tests: ${clip(testFiles.join(', ') || 'none found in the patch', 600)}`));
  if (proposal.preflight) {
    blocks.push(
      context(
        `Patch tried before filing: ${proposal.preflight.passed ? ':white_check_mark:' : ':x:'} ${clip(proposal.preflight.summary, 300)}`,
      ),
    );
  }
  if (proposal.status !== 'pending') blocks.push(context(decisionLine(proposal)));
  const can = executeAvailability(proposal, { hasAgent: options.hasAgent === true });
  if (proposal.status === 'approved' && !can.available) blocks.push(context(`Execute is not offered: ${can.reason}.`));
  const dashboard = dashboardProposalUrl(options.publicUrl, proposal.id);
  const idLine = `\`${escapeMrkdwn(proposal.id)}\` · v${proposal.version} · ${escapeMrkdwn(proposal.source ?? proposal.type)}`;
  // A read-only copy has no buttons, so its link goes into the id line.
  blocks.push(context(options.readOnly && dashboard ? `${idLine} · ${linkOrText(dashboard, 'Open in dashboard')}` : idLine));
  if (!options.readOnly) {
    const buttons = proposalButtons(proposal, options.hasAgent);
    if (dashboard) buttons.push(linkButton('Open in dashboard', ACTIONS.openDashboard, dashboard));
    blocks.push(actions(`proposal:${proposal.id}`, buttons));
  }
  return { text: notificationText(proposal), blocks: fitBlocks(blocks, 'message') };
}

/** The measure behind the proposal as an image block (Slack fetches the PNG from the signed URL). */
function chartImage(url: string, label: string, mark: string | undefined): KnownBlock {
  const text = cleanPlainText(`${label}${mark ? ` · ${mark}` : ''}`);
  return {
    type: 'image',
    image_url: url.slice(0, 3000),
    alt_text: truncateText(`Chart: ${text}`, 2000),
    title: { type: 'plain_text', text: truncateText(text || 'Chart', 2000) },
  };
}

/** The top-level text: what a phone shows in the notification. */
export function notificationText(proposal: Proposal): string {
  const text = `[${proposal.priority}] ${typeLabel(proposal.type)}: ${escapeMrkdwn(proposal.title)} (${proposal.status.replace('_', ' ')})`;
  return truncateText(text, LIMITS.messageText);
}
