import type Anthropic from '@anthropic-ai/sdk';
import type { z } from 'zod';
import { stripInvisibleDeep } from '../invisible-characters.ts';
import { describeIssues, SUBMIT_PROPOSAL, type ProposalAnswer } from './proposal-answer.ts';

export type AnswerReading =
  | { kind: 'answer'; answer: ProposalAnswer }
  | { kind: 'refused' }
  /** What was wrong, and the user turn that tells the model so (tool results answering its calls). */
  | { kind: 'invalid'; problems: string[]; retry: Anthropic.Messages.ContentBlockParam[] };

/**
 * Reads Claude's reply: the submit_proposal call, its input cleaned of invisible characters and then
 * validated (unknown keys dropped). Anything else is invalid, with a retry turn carrying the errors.
 */
export function readAnswer(message: Anthropic.Messages.Message, schema: z.ZodType<ProposalAnswer>): AnswerReading {
  if (message.stop_reason === 'refusal') return { kind: 'refused' };
  const calls = message.content.filter((block): block is Anthropic.Messages.ToolUseBlock => block.type === 'tool_use');
  const call = calls.find((block) => block.name === SUBMIT_PROPOSAL);
  const cutOff = message.stop_reason === 'max_tokens' ? ['the answer was cut off at the output limit: write more briefly'] : [];
  if (!call) {
    const problems = [...cutOff, `no ${SUBMIT_PROPOSAL} call: answer only by calling the ${SUBMIT_PROPOSAL} tool`];
    // Every tool call in the previous turn needs a result, or the API refuses the retry.
    const results = calls.map((other) => toolResult(other.id, [`unknown tool "${other.name.slice(0, 40)}"`]));
    return { kind: 'invalid', problems, retry: [...results, { type: 'text', text: retryText(problems) }] };
  }
  const parsed = schema.safeParse(stripInvisibleDeep(call.input));
  if (parsed.success && !cutOff.length) return { kind: 'answer', answer: parsed.data };
  const problems = [...cutOff, ...(parsed.success ? [] : describeIssues(parsed.error))];
  const retry = calls.map((block) =>
    block.id === call.id ? toolResult(block.id, problems) : toolResult(block.id, [`call ${SUBMIT_PROPOSAL} once only`]),
  );
  return { kind: 'invalid', problems, retry };
}

function toolResult(id: string, problems: string[]): Anthropic.Messages.ToolResultBlockParam {
  return { type: 'tool_result', tool_use_id: id, is_error: true, content: retryText(problems) };
}

function retryText(problems: string[]): string {
  return `The proposal was not accepted:\n${problems.map((p) => `- ${p}`).join('\n')}\nCall ${SUBMIT_PROPOSAL} again with a corrected proposal that follows the tool's schema.`;
}
