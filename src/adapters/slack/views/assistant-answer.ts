import type { KnownBlock } from '@slack/types';
import type { Answer, AnswerTable } from '../../../assistant/answer.ts';
import type { Citation } from '../../../assistant/citation.ts';
import type { Proposal } from '../../../domain/proposal.ts';
import { actions, context, section } from './block-builders.ts';
import { fitBlocks, LIMITS, truncateText } from './block-limits.ts';
import { proposalButtons, statusLabel, type SlackMessage } from './proposal-message.ts';
import { clip, escapeCodeBlock, escapeMrkdwn } from './untrusted-text.ts';

/** A table shown in the message: at most this many rows and characters; a longer one goes in a file too. */
export const INLINE_TABLE_ROWS = 12;
const INLINE_TABLE_CHARS = 2400;
/** Answer text shown at most; Slack's section limit is 3,000 characters, so it is split in sections. */
const ANSWER_CHARS = 6000;

export interface RenderedAnswer {
  message: SlackMessage;
  /** Tables too long for the message: uploaded as CSV files in the thread. */
  files: { filename: string; title: string; content: string }[];
}

export interface AnswerViewOptions {
  /** The proposals whose buttons the answer offers (answer.actionsFor, as they are now). */
  proposals: Proposal[];
  hasAgent: boolean;
  /** A line under the answer: who answered and what it cost, or that no model did. */
  footer: string;
}

/**
 * An answer as a Slack message: the text (escaped: it can carry model output and telemetry text)
 * split into sections under 3,000 characters, each table as a monospace block (the first rows when it
 * is long, the whole table as a CSV file), the sources, the buttons of any proposal the person asked
 * to act on, and a footer. fitBlocks keeps it under 50 blocks and Slack's total size.
 */
export function renderAnswer(answer: Answer, options: AnswerViewOptions): RenderedAnswer {
  const blocks: KnownBlock[] = [];
  const files: RenderedAnswer['files'] = [];
  for (const chunk of chunks(truncateText(answer.text || ' ', ANSWER_CHARS), LIMITS.sectionText - 200))
    blocks.push(section(escapeMrkdwn(chunk)));
  for (const table of answer.tables.slice(0, 3)) {
    const shown = table.rows.slice(0, INLINE_TABLE_ROWS);
    let text = monospace({ ...table, rows: shown });
    const long = shown.length < table.rows.length || text.length > INLINE_TABLE_CHARS;
    if (text.length > INLINE_TABLE_CHARS) text = truncateText(text, INLINE_TABLE_CHARS);
    blocks.push(section(`*${escapeMrkdwn(table.title)}*\n\`\`\`${escapeCodeBlock(text)}\`\`\``));
    if (long) {
      files.push({ filename: `${slug(table.title)}.csv`, title: table.title, content: csv(table) });
      blocks.push(context(`Showing ${shown.length} of ${table.rows.length} rows; the whole table is attached as a CSV file.`));
    }
  }
  const sources = answer.citations.slice(0, 8).map(citationLine);
  if (sources.length) blocks.push(context(truncateText(`*Sources* ${sources.join(' · ')}`, LIMITS.contextText - 100)));
  for (const proposal of options.proposals.slice(0, 5)) {
    blocks.push(section(`*${clip(proposal.title, 200)}* (\`${escapeMrkdwn(proposal.id)}\`, ${statusLabel(proposal.status)})`));
    blocks.push(actions(`proposal:${proposal.id}`, proposalButtons(proposal, options.hasAgent)));
  }
  blocks.push(context(escapeMrkdwn(options.footer)));
  // The whole answer as the fallback text: notifications, screen readers, and the thread's history for follow-ups.
  const text = truncateText(escapeMrkdwn(answer.text || 'Answer'), LIMITS.messageText);
  return { message: { text, blocks: fitBlocks(blocks, 'message') }, files };
}

function citationLine(citation: Citation): string {
  if (citation.kind === 'proposal') {
    const label = `${escapeMrkdwn(citation.proposalId)} v${citation.version}`;
    return citation.link && /^https:\/\/[^\s|<>]+$/.test(citation.link) ? `<${citation.link}|${label}>` : `\`${label}\``;
  }
  const window = `${citation.window.from.slice(0, 16).replace('T', ' ')} – ${citation.window.to.slice(0, 16).replace('T', ' ')} UTC`;
  return `${escapeMrkdwn(citation.table)}${citation.endpoint ? ` ${clip(citation.endpoint, 80)}` : ''}, ${window}, ${escapeMrkdwn(citation.counts)}`;
}

/** Split at line ends where possible, so a section never cuts a line in two. */
function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current && current.length + line.length + 1 > size) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line.slice(0, size);
  }
  if (current) out.push(current);
  return out;
}

function cell(value: string | number): string {
  return String(value).replace(/\s+/g, ' ').slice(0, 90);
}

function monospace(table: AnswerTable): string {
  const rows = [table.columns, ...table.rows.map((r) => r.map(cell))];
  const widths = table.columns.map((_, i) => Math.min(90, Math.max(...rows.map((r) => String(r[i] ?? '').length))));
  return rows
    .map((r) =>
      r
        .map((c, i) => String(c ?? '').padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function csv(table: AnswerTable): string {
  const quote = (v: string | number) => {
    const s = String(v);
    // A leading = + - @ makes spreadsheets run the cell as a formula; telemetry text must stay text.
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [table.columns, ...table.rows].map((r) => r.map(quote).join(',')).join('\n');
}

function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'table'
  );
}
