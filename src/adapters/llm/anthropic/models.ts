import type Anthropic from '@anthropic-ai/sdk';

/**
 * The newest Sonnet in the installed SDK's model list (`Model` in
 * @anthropic-ai/sdk/resources/messages/messages.d.ts, SDK 1.13.0): speed and quality for a few
 * thousand tokens of prose per proposal, at $2 / $10 per million tokens.
 */
export const DEFAULT_MODEL = 'claude-sonnet-5-5' satisfies Anthropic.Messages.Model;

/**
 * Models documented to accept a forced `tool_choice` (`{ type: 'tool' }`). Claude Sonnet 5.5, Opus 5.5
 * and Fable 5.1 answer it with a 400 ("Forced tool use returns an error", platform.claude.com/docs,
 * "What's new in Claude Sonnet 5.5" and "... Opus 5.5"). Models not listed get `tool_choice: auto`
 * with submit_proposal as their only tool; an answer without the tool call counts as invalid and gets
 * the same one retry as an answer that fails validation. Unknown models take the safe path (auto).
 */
const FORCED_TOOL_CHOICE = new Set<string>([
  'claude-sonnet-5',
  'claude-opus-5',
  'claude-fable-5',
  'claude-mythos-5',
  'claude-opus-4-8',
  'claude-opus-4-7',
  'claude-opus-4-6',
  'claude-sonnet-4-6',
  'claude-opus-4-5',
  'claude-opus-4-5-20251101',
  'claude-sonnet-4-5',
  'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5',
  'claude-haiku-4-5-20251001',
]);

export function acceptsForcedToolChoice(model: string): boolean {
  return FORCED_TOOL_CHOICE.has(model);
}

export function toolChoiceFor(model: string, tool: string): Anthropic.Messages.ToolChoice {
  return acceptsForcedToolChoice(model)
    ? { type: 'tool', name: tool, disable_parallel_tool_use: true }
    : { type: 'auto', disable_parallel_tool_use: true };
}
