import { section } from './block-builders.ts';
import type { SlackMessage } from './proposal-message.ts';

export const HELP_TEXT = [
  '*/improve* commands:',
  '• `/improve metrics`: the improvement metrics',
  '• `/improve analyze [daily|weekly|monthly|full|regression-watch]`: run a cycle now (the result is posted when it ends)',
  '• `/improve proposals [status]`: list proposals (pending, approved, rejected, executing, implemented, failed, rolled_back, merged)',
  '• `/improve show <id>`: one proposal with its buttons',
  '• `/improve revise <id> <instructions>`: Claude revises the patch (after review comments, say what to change); it is tried before it replaces anything',
  '• `/improve subscribe [types…] [min-priority]`: post new proposals in this channel, e.g. `/improve subscribe bug_fix high`',
  '• `/improve unsubscribe`: stop posting in this channel',
  '• `/improve help`: this help',
].join('\n');

export function renderHelp(prefix?: string): SlackMessage {
  const text = prefix ? `${prefix}\n\n${HELP_TEXT}` : HELP_TEXT;
  return { text: 'improve: help', blocks: [section(text)] };
}
