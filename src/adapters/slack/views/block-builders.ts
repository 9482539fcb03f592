import type { Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { LIMITS, truncateText } from './block-limits.ts';
import { cleanPlainText } from './untrusted-text.ts';

/**
 * Small constructors that apply Slack's size limits as they build. Text handed to `section`,
 * `fields` and `context` must already be escaped mrkdwn; `header` and button labels take raw text.
 */

export function header(text: string): HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncateText(cleanPlainText(text) || '(untitled)', LIMITS.headerText), emoji: true },
  };
}

export function section(mrkdwn: string, max: number = LIMITS.sectionText): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateText(mrkdwn || ' ', Math.min(max, LIMITS.sectionText)) } };
}

/** Fields in sections of at most ten (Slack's limit), each cut to `maxEach` characters. */
export function fields(items: string[], maxEach = 300): SectionBlock[] {
  const out: SectionBlock[] = [];
  for (let i = 0; i < items.length; i += LIMITS.fieldsPerSection) {
    const chunk = items.slice(i, i + LIMITS.fieldsPerSection);
    out.push({
      type: 'section',
      fields: chunk.map((text) => ({ type: 'mrkdwn', text: truncateText(text || ' ', Math.min(maxEach, LIMITS.fieldText)) })),
    });
  }
  return out;
}

export function context(...mrkdwn: string[]): ContextBlock {
  return {
    type: 'context',
    elements: mrkdwn.slice(0, LIMITS.contextElements).map((text) => ({ type: 'mrkdwn', text: truncateText(text || ' ', 1000) })),
  };
}

export function divider(): KnownBlock {
  return { type: 'divider' };
}

export interface ButtonSpec {
  label: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

export function button(spec: ButtonSpec): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncateText(cleanPlainText(spec.label), LIMITS.buttonText), emoji: true },
    action_id: spec.actionId.slice(0, LIMITS.actionId),
    // Values are ids we made (decodeTarget refuses anything longer than 200), so the cut never bites.
    value: spec.value.slice(0, LIMITS.buttonValue),
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.confirm
      ? {
          confirm: {
            title: { type: 'plain_text', text: truncateText(cleanPlainText(spec.confirm.title), LIMITS.confirmTitle) },
            text: { type: 'mrkdwn', text: truncateText(spec.confirm.text, LIMITS.confirmText) },
            confirm: { type: 'plain_text', text: truncateText(spec.confirm.confirm, 30) },
            deny: { type: 'plain_text', text: truncateText(spec.confirm.deny, 30) },
          },
        }
      : {}),
  };
}

/** A button that opens a URL (Slack allows 3000 characters); its click still reaches the app and is acked. */
export function linkButton(label: string, actionId: string, url: string): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncateText(cleanPlainText(label), LIMITS.buttonText), emoji: true },
    action_id: actionId.slice(0, LIMITS.actionId),
    url: url.slice(0, 3000),
  };
}

export function actions(blockId: string, buttons: Button[]): KnownBlock {
  return { type: 'actions', block_id: blockId.slice(0, LIMITS.blockId), elements: buttons.slice(0, LIMITS.elementsPerActions) };
}
