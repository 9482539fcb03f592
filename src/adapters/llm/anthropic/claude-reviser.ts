import type Anthropic from '@anthropic-ai/sdk';
import { RevisionFailed } from '../../../domain/errors.ts';
import type { Logger } from '../../../logging.ts';
import type { RevisedPatch, RevisionRequest } from '../../../ports/writer.ts';
import { stripInvisibleDeep } from '../invisible-characters.ts';
import { assertMessage, failureReason } from './api-failure.ts';
import { toolChoiceFor } from './models.ts';
import { describeIssues } from './proposal-answer.ts';
import {
  buildRevisionMessage,
  REVISION_SYSTEM_PROMPT,
  revisableFiles,
  revisionSchemaFor,
  SUBMIT_REVISION,
  submitRevisionTool,
} from './revision-prompt.ts';

/** The rounds a revision may take: the answer, and one retry told what was wrong with it. */
const ROUNDS = 2;

/**
 * Revised patches from Claude through one tool (submit_revision), validated with zod (a unified
 * diff touching only the patch's and the subject's files), retried once with the problems. Unlike
 * write(), there is no fallback: a revision Claude cannot give is a RevisionFailed saying why.
 */
export function createClaudeReviser(deps: {
  client: Anthropic;
  model: string;
  maxOutputTokens: number;
  /** The writer's concurrency limit, so revisions queue behind a cycle's drafting instead of beside it. */
  limit: <T>(work: () => Promise<T>) => Promise<T>;
  logger: Logger;
}) {
  const system: Anthropic.Messages.TextBlockParam[] = [
    { type: 'text', text: REVISION_SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } },
  ];

  async function ask(messages: Anthropic.Messages.MessageParam[], tool: Anthropic.Messages.Tool): Promise<Anthropic.Messages.Message> {
    try {
      const message: unknown = await deps.limit(() =>
        deps.client.messages.create({
          model: deps.model,
          max_tokens: deps.maxOutputTokens,
          system,
          tools: [tool],
          tool_choice: toolChoiceFor(deps.model, SUBMIT_REVISION),
          messages,
        }),
      );
      assertMessage(message);
      return message;
    } catch (error) {
      deps.logger.warn({ err: error }, 'the revision request to Claude failed');
      throw new RevisionFailed(failureReason(error));
    }
  }

  return async function revise(request: RevisionRequest): Promise<RevisedPatch> {
    const files = revisableFiles(request);
    const schema = revisionSchemaFor(files);
    const tool = submitRevisionTool(files);
    const messages: Anthropic.Messages.MessageParam[] = [{ role: 'user', content: buildRevisionMessage(request) }];
    let problems: string[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const message = await ask(messages, tool);
      if (message.stop_reason === 'refusal') throw new RevisionFailed('Claude declined to revise the patch');
      const calls = message.content.filter((block): block is Anthropic.Messages.ToolUseBlock => block.type === 'tool_use');
      const call = calls.find((block) => block.name === SUBMIT_REVISION);
      const parsed = call ? schema.safeParse(stripInvisibleDeep(call.input)) : undefined;
      const cutOff = message.stop_reason === 'max_tokens' ? ['the answer was cut off at the output limit'] : [];
      if (parsed?.success && !cutOff.length) {
        const { patch, changesTests, explanation } = parsed.data;
        return {
          patch: patch.endsWith('\n') ? patch : `${patch}\n`,
          changesTests: changesTests === true,
          explanation,
          writtenBy: message.model || deps.model,
        };
      }
      problems = [...cutOff, ...(call ? (parsed && !parsed.success ? describeIssues(parsed.error) : []) : [`no ${SUBMIT_REVISION} call`])];
      deps.logger.info({ round, problems }, 'revision answer unusable');
      const text = `The revision was not accepted:\n${problems.map((p) => `- ${p}`).join('\n')}\nCall ${SUBMIT_REVISION} again with a corrected, complete patch.`;
      // Every tool call of the previous turn needs its result, or the API refuses the retry.
      const results: Anthropic.Messages.ContentBlockParam[] = calls.map((block) => ({
        type: 'tool_result',
        tool_use_id: block.id,
        is_error: true,
        content: block.id === call?.id ? text : `call ${SUBMIT_REVISION} once only`,
      }));
      messages.push(
        { role: 'assistant', content: message.content },
        { role: 'user', content: call ? results : [...results, { type: 'text', text }] },
      );
    }
    throw new RevisionFailed(`Claude's revised patch was unusable twice (${problems.slice(0, 3).join('; ')})`);
  };
}
