import type { KnownBlock } from '@slack/types';

/**
 * Slack's Block Kit limits (docs.slack.dev reference pages). Slack refuses a whole message when one
 * field is over, so every renderer cuts text to these sizes itself, with a visible mark.
 */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  elementsPerActions: 25,
  contextElements: 10,
  contextText: 3000,
  privateMetadata: 3000,
  viewTitle: 24,
  inputLabel: 2000,
  confirmTitle: 100,
  confirmText: 300,
  /** Top-level `text` of chat.postMessage; Slack truncates past 40 000, we keep notifications short. */
  messageText: 3000,
  /** Slack answered `msg_blocks_too_long` at about 13k characters of blocks in total (measured). */
  messageBlocksJson: 12_000,
  /** Modals and App Home take larger payloads; no documented total; this keeps the size of a message's limit times 2.5. */
  viewBlocksJson: 30_000,
} as const;

export const TRUNCATION_MARK = '…(truncated)';

/**
 * Cuts text to `max` UTF-16 units (what Slack counts, or more) with a visible mark, never splitting
 * a surrogate pair or an HTML entity made by escaping.
 */
export function truncateText(text: string, max: number, mark = TRUNCATION_MARK): string {
  if (text.length <= max) return text;
  if (max <= mark.length) return mark.slice(0, max);
  let cut = text.slice(0, max - mark.length);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-z]{0,4}$/, '');
  return cut + mark;
}

export interface LimitViolation {
  path: string;
  problem: string;
}

type Surface = 'message' | 'view';

/** Every limit a block list breaks; empty when Slack would accept it. Used by tests and by fitBlocks. */
export function blockLimitViolations(blocks: readonly KnownBlock[], surface: Surface): LimitViolation[] {
  const out: LimitViolation[] = [];
  const maxBlocks = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  const maxJson = surface === 'message' ? LIMITS.messageBlocksJson : LIMITS.viewBlocksJson;
  if (blocks.length > maxBlocks) out.push({ path: 'blocks', problem: `${blocks.length} blocks > ${maxBlocks}` });
  const json = JSON.stringify(blocks).length;
  if (json > maxJson) out.push({ path: 'blocks', problem: `${json} characters of blocks > ${maxJson}` });
  const over = (path: string, value: string | undefined, max: number) => {
    if (value !== undefined && value.length > max) out.push({ path, problem: `${value.length} > ${max}` });
  };
  blocks.forEach((block, i) => {
    const at = `blocks[${i}]`;
    over(`${at}.block_id`, block.block_id, LIMITS.blockId);
    if (block.type === 'header') over(`${at}.text`, block.text.text, LIMITS.headerText);
    if (block.type === 'section') {
      over(`${at}.text`, block.text?.text, LIMITS.sectionText);
      const fields = block.fields ?? [];
      if (fields.length > LIMITS.fieldsPerSection) out.push({ path: `${at}.fields`, problem: `${fields.length} fields > 10` });
      fields.forEach((f, j) => over(`${at}.fields[${j}]`, f.text, LIMITS.fieldText));
      if (!block.text && fields.length === 0) out.push({ path: at, problem: 'section without text or fields' });
    }
    if (block.type === 'context') {
      if (block.elements.length > LIMITS.contextElements) out.push({ path: `${at}.elements`, problem: 'more than 10 elements' });
      block.elements.forEach(
        (e, j) => 'text' in e && typeof e.text === 'string' && over(`${at}.elements[${j}]`, e.text, LIMITS.contextText),
      );
    }
    if (block.type === 'actions') {
      if (block.elements.length > LIMITS.elementsPerActions) out.push({ path: `${at}.elements`, problem: 'more than 25 elements' });
      block.elements.forEach((e, j) => {
        if (e.type !== 'button') return;
        over(`${at}.elements[${j}].text`, e.text.text, LIMITS.buttonText);
        over(`${at}.elements[${j}].value`, e.value, LIMITS.buttonValue);
        over(`${at}.elements[${j}].action_id`, e.action_id, LIMITS.actionId);
        if (e.confirm) {
          over(`${at}.elements[${j}].confirm.title`, e.confirm.title?.text, LIMITS.confirmTitle);
          over(`${at}.elements[${j}].confirm.text`, e.confirm.text?.text, LIMITS.confirmText);
        }
      });
    }
  });
  return out;
}

/**
 * Last line of defence after a renderer budgeted its parts: drops blocks from the end (keeping the
 * trailing actions block, so the buttons survive) until count and total size fit, and says so.
 */
export function fitBlocks(blocks: KnownBlock[], surface: Surface): KnownBlock[] {
  const maxBlocks = surface === 'message' ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  const maxJson = surface === 'message' ? LIMITS.messageBlocksJson : LIMITS.viewBlocksJson;
  const fits = (list: KnownBlock[]) => list.length <= maxBlocks && JSON.stringify(list).length <= maxJson;
  if (fits(blocks)) return blocks;
  const tail: KnownBlock[] = blocks.filter((b) => b.type === 'actions').slice(-1);
  const body = blocks.filter((b) => !tail.includes(b));
  const note: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: `${TRUNCATION_MARK} more in Details` }] };
  while (body.length > 0 && !fits([...body, note, ...tail])) body.pop();
  return [...body, note, ...tail];
}
