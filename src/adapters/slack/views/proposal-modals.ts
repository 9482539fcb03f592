import type { KnownBlock, ModalView } from '@slack/types';
import type { Proposal } from '../../../domain/proposal.ts';
import { encodeRejectContext, REJECT_INPUT, VIEWS, type RejectContext } from './action-ids.ts';
import { context, divider, fields, header, section } from './block-builders.ts';
import { fitBlocks, LIMITS, truncateText } from './block-limits.ts';
import { decisionLine, evidenceField, statusLabel, typeLabel } from './proposal-message.ts';
import { clip, escapeCodeBlock } from './untrusted-text.ts';

/** Evidence items shown in Details: 4 sections of 10 fields keep the modal within its size budget. */
const EVIDENCE_IN_DETAILS = 40;

function title(text: string): ModalView['title'] {
  return { type: 'plain_text', text: truncateText(text, LIMITS.viewTitle) };
}

/** Long text in sections of at most `perBlock` characters, at most `maxBlocks` of them. */
function longText(label: string, text: string, maxBlocks: number, perBlock = 2800): KnownBlock[] {
  const escaped = clip(text, perBlock * maxBlocks);
  const out: KnownBlock[] = [];
  let i = 0;
  while (i < escaped.length && out.length < maxBlocks) {
    let end = Math.min(i + perBlock, escaped.length);
    if (end < escaped.length) {
      // Never split an entity made by escaping ("&am" + "p;" shows both halves) or a surrogate pair.
      const amp = escaped.lastIndexOf('&', end - 1);
      if (amp > i && amp >= end - 5 && !escaped.slice(amp, end).includes(';')) end = amp;
      const code = escaped.charCodeAt(end - 1);
      if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    }
    out.push(section(`${out.length === 0 ? `*${label}*\n` : ''}${escaped.slice(i, end)}`));
    i = end;
  }
  return out.length ? out : [section(`*${label}*\n_none_`)];
}

/** Everything about the proposal, for the Details button: the full plan, rollback, tests and evidence. */
export function renderDetailsModal(proposal: Proposal): ModalView {
  const evidence = proposal.evidence.slice(0, EVIDENCE_IN_DETAILS);
  const blocks: KnownBlock[] = [
    header(proposal.title),
    context(
      `${typeLabel(proposal.type)} · ${clip(proposal.priority, 20)} · ${statusLabel(proposal.status)} · \`${clip(proposal.id, 100)}\` v${proposal.version}`,
    ),
    section(clip(proposal.summary, 2900)),
    section(`*Risk*\n${clip(proposal.risk, 2800)}`),
    divider(),
    ...longText('Plan', proposal.implementationPlan, 2),
    ...longText('Rollback plan', proposal.rollbackPlan, 1),
    ...longText('Test plan', proposal.testPlan, 1),
  ];
  if (evidence.length) blocks.push(divider(), section('*Evidence*'), ...fields(evidence.map(evidenceField), 150));
  if (proposal.evidence.length > EVIDENCE_IN_DETAILS) {
    blocks.push(context(`…and ${proposal.evidence.length - EVIDENCE_IN_DETAILS} more evidence items (truncated; the API has them all)`));
  }
  if (proposal.patch) blocks.push(section(`*Patch*\n\`\`\`${escapeCodeBlock(truncateText(proposal.patch, 2500))}\`\`\``));
  if (proposal.status !== 'pending') blocks.push(context(decisionLine(proposal)));
  return {
    type: 'modal',
    callback_id: VIEWS.details,
    title: title('Proposal details'),
    close: { type: 'plain_text', text: 'Close' },
    blocks: fitBlocks(blocks, 'view'),
  };
}

interface ReasonModalText {
  callbackId: string;
  title: string;
  submit: string;
  question: string;
  placeholder: string;
  /** Said above the question (what the decision will do). */
  note?: string;
}

/** A modal that asks why; the reason goes into the proposal's audit trail. */
function reasonModal(proposal: Proposal, origin: RejectContext, text: ReasonModalText): ModalView {
  return {
    type: 'modal',
    callback_id: text.callbackId,
    private_metadata: encodeRejectContext(origin),
    title: title(text.title),
    submit: { type: 'plain_text', text: text.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${clip(proposal.title, 500)}*`),
      ...(text.note ? [context(text.note)] : []),
      {
        type: 'input',
        block_id: REJECT_INPUT.block,
        label: { type: 'plain_text', text: text.question },
        element: {
          type: 'plain_text_input',
          action_id: REJECT_INPUT.action,
          multiline: true,
          min_length: 3,
          max_length: 2000,
          placeholder: { type: 'plain_text', text: text.placeholder },
        },
      },
    ],
  };
}

export function renderRejectModal(proposal: Proposal, origin: RejectContext): ModalView {
  return reasonModal(proposal, origin, {
    callbackId: VIEWS.reject,
    title: 'Reject proposal',
    submit: 'Reject',
    question: 'Why is it rejected?',
    placeholder: 'e.g. the cache would serve stale prices',
  });
}

/** Roll back an implemented change: the same path as the API and the CLI, with the reason in the history. */
export function renderRollbackModal(proposal: Proposal, origin: RejectContext): ModalView {
  const where = proposal.execution?.branch ? ` on \`${clip(proposal.execution.branch, 200)}\`` : '';
  return reasonModal(proposal, origin, {
    callbackId: VIEWS.rollback,
    title: 'Roll back change',
    submit: 'Roll back',
    question: 'Why is it rolled back?',
    placeholder: 'e.g. p95 got worse after the deploy',
    note:
      proposal.type === 'learning'
        ? 'This withdraws the published knowledge entry.'
        : `This reverts the change${where} (or deletes its unmerged branch).`,
  });
}
