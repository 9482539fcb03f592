import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { Answer, Answerer, AnswerTable, AnswerUsage, Question } from '../../../assistant/answer.ts';
import { textAnswer } from '../../../assistant/answer.ts';
import { uniqueCitations, type Citation } from '../../../assistant/citation.ts';
import type { AssistantSources } from '../../../assistant/sources.ts';
import { budgetMessage, type AssistantBudget } from '../../../assistant/token-budget.ts';
import { ASSISTANT_TOOLS, runTool } from '../../../assistant/tool-registry.ts';
import type { Logger } from '../../../logging.ts';
import { roundUsd } from '../usage.ts';
import { assertMessage, failureReason } from './api-failure.ts';
import { ASSISTANT_SYSTEM_PROMPT, assistantUserMessage, toolResultBlock } from './assistant-prompt.ts';
import { cleanUntrustedText } from './untrusted-data.ts';
import { costUsd } from './model-prices.ts';
import { DEFAULT_MODEL } from './models.ts';

export interface ClaudeAnswererOptions {
  apiKey: string;
  baseURL?: string;
  model?: string;
  maxRetries?: number;
  timeoutMs?: number;
  /** Model requests per answer: each may call tools; the last one must answer. */
  maxToolRounds?: number;
  maxOutputTokens?: number;
  sources: AssistantSources;
  budget: AssistantBudget;
  logger: Logger;
  onUsage?: (usage: AnswerUsage) => void;
  /** Answers (the offline shapes) when the model cannot be reached; the answer says the model did not. */
  fallback?: Answerer;
}

const TOOL_RESULT_CHARS = 12_000;

/** The tools as the Messages API takes them: JSON Schema derived from each tool's zod input. */
function toolDefinitions(): Anthropic.Messages.Tool[] {
  return ASSISTANT_TOOLS.map((tool) => {
    const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.input) as Record<string, unknown>;
    return { name: tool.name, description: tool.description, input_schema: schema as Anthropic.Messages.Tool.InputSchema };
  });
}

/**
 * Answers with Claude and the read-only tools: a bounded loop of requests, each tool call run through
 * the registry (an unknown name or bad input comes back as an error result, never guessed), every
 * result passed back as untrusted data. Citations, tables and the buttons offered come from the tools
 * that ran, never from the model's text. No error escapes: the person is told what went wrong.
 */
export function createClaudeAnswerer(options: ClaudeAnswererOptions): Answerer {
  const model = options.model ?? DEFAULT_MODEL;
  const log = options.logger.child({ component: 'claude-answerer', model });
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? 'https://api.anthropic.com',
    maxRetries: options.maxRetries ?? 1,
    timeout: options.timeoutMs ?? 60_000,
    logLevel: 'warn',
    logger: {
      error: (m: string) => log.error(m),
      warn: (m: string) => log.warn(m),
      info: (m: string) => log.info(m),
      debug: (m: string) => log.debug(m),
    },
  });
  const tools = toolDefinitions();
  const system: Anthropic.Messages.TextBlockParam[] = [
    { type: 'text', text: ASSISTANT_SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } },
  ];
  const maxRounds = Math.max(1, options.maxToolRounds ?? 4);

  return {
    name: model,
    async answer(question: Question): Promise<Answer> {
      const usage: AnswerUsage = {
        model,
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        cacheCreationInputTokens: 0,
        cacheReadInputTokens: 0,
        totalTokens: 0,
        costUsd: 0,
        toolCalls: 0,
      };
      const citations: Citation[] = [];
      const tables: AnswerTable[] = [];
      const actionsFor = new Set<string>();
      const messages = conversation(question, options.sources.now());
      const finish = (text: string, answeredBy = model): Answer => {
        usage.costUsd = usage.requests ? nullableRound(costUsd(model, usage)) : 0;
        if (usage.requests) options.onUsage?.(usage);
        return {
          text,
          tables,
          citations: uniqueCitations(citations),
          actionsFor: [...actionsFor],
          answeredBy,
          ...(usage.requests ? { usage } : {}),
        };
      };

      try {
        for (let round = 1; round <= maxRounds; round += 1) {
          const verdict = await options.budget.check(question.userId, question.teamId);
          if (!verdict.ok) return usage.requests ? finish(budgetMessage(verdict), 'limit') : textAnswer(budgetMessage(verdict), 'limit');
          const last = round === maxRounds;
          const message: unknown = await client.messages.create({
            model,
            max_tokens: options.maxOutputTokens ?? 2048,
            system,
            tools,
            // The last round must answer: no more tools.
            tool_choice: last ? { type: 'none' } : { type: 'auto' },
            messages,
          });
          assertMessage(message);
          const spent = add(usage, message.usage);
          await options.budget.spend(question.userId, question.teamId, spent);
          const calls = message.content.filter((b): b is Anthropic.Messages.ToolUseBlock => b.type === 'tool_use');
          const text = message.content
            .flatMap((b) => (b.type === 'text' ? [b.text] : []))
            .join('\n')
            .trim();
          if (!calls.length || last) return finish(text || 'I have no answer from the data I could read.');
          messages.push({ role: 'assistant', content: message.content });
          const results: Anthropic.Messages.ToolResultBlockParam[] = [];
          for (const call of calls) {
            usage.toolCalls += 1;
            const outcome = await runTool(call.name, call.input, options.sources);
            if (outcome.ok) {
              citations.push(...outcome.result.citations);
              if (outcome.result.table?.rows.length) tables.push(outcome.result.table);
              for (const id of outcome.result.actionsFor ?? []) actionsFor.add(id);
              results.push({
                type: 'tool_result',
                tool_use_id: call.id,
                content: toolResultBlock(call.name, outcome.result, TOOL_RESULT_CHARS),
              });
            } else {
              log.info({ tool: call.name.slice(0, 60), error: outcome.error }, 'tool call refused');
              results.push({ type: 'tool_result', tool_use_id: call.id, is_error: true, content: outcome.error });
            }
          }
          messages.push({ role: 'user', content: results });
        }
        return finish('I could not finish the answer within the allowed tool calls.');
      } catch (error) {
        const reason = failureReason(error);
        log.warn({ err: error, reason }, 'the assistant model request failed');
        const unreachable = `I could not reach the model (${reason}).`;
        if (!options.fallback) return finish(`${unreachable} The \`/improve\` commands and the proposal buttons still work.`, 'limit');
        const matched = await options.fallback.answer(question);
        const spent = finish('', 'limit');
        return {
          ...matched,
          text: `${unreachable} Matching the question to a fixed shape instead:\n${matched.text}`,
          ...(spent.usage ? { usage: spent.usage } : {}),
        };
      }
    },
  };
}

/**
 * Earlier turns of the thread, then the question. The API wants the first turn to be the person's and
 * turns to alternate, so leading answers are dropped and neighbours of one role joined.
 */
function conversation(question: Question, now: Date): Anthropic.Messages.MessageParam[] {
  const turns = [
    ...(question.history ?? []).slice(-6).map((t) => ({ role: t.role, text: cleanUntrustedText(t.text).slice(0, 2000) })),
    { role: 'user' as const, text: assistantUserMessage(question, now) },
  ];
  while (turns.length > 1 && turns[0]!.role !== 'user') turns.shift();
  const joined: { role: 'user' | 'assistant'; text: string }[] = [];
  for (const turn of turns) {
    const last = joined.at(-1);
    if (last && last.role === turn.role) last.text = `${last.text}\n\n${turn.text}`;
    else joined.push({ ...turn });
  }
  return joined.map((t) => ({ role: t.role, content: t.text }));
}

function add(usage: AnswerUsage, wire: Anthropic.Messages.Usage): number {
  const input = wire.input_tokens ?? 0;
  const output = wire.output_tokens ?? 0;
  const written = wire.cache_creation_input_tokens ?? 0;
  const read = wire.cache_read_input_tokens ?? 0;
  usage.requests += 1;
  usage.inputTokens += input;
  usage.outputTokens += output;
  usage.cacheCreationInputTokens += written;
  usage.cacheReadInputTokens += read;
  usage.totalTokens += input + output + written + read;
  return input + output + written + read;
}

function nullableRound(value: number | null): number | null {
  return value === null ? null : roundUsd(value);
}
