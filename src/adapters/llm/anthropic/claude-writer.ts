import Anthropic from '@anthropic-ai/sdk';
import pLimit from 'p-limit';
import type { Finding } from '../../../domain/finding.ts';
import type { ProposalDraft } from '../../../domain/proposal.ts';
import type { Logger } from '../../../logging.ts';
import type { ProposalWriter } from '../../../ports/writer.ts';
import { createClaudeReviser } from './claude-reviser.ts';
import { createUsageLedger, roundUsd, type CycleUsageSummary, type ProposalUsage, type UsageRecorder } from '../usage.ts';
import { assertMessage, failureReason } from './api-failure.ts';
import { draftFromAnswer } from './draft-from-answer.ts';
import { costUsd, type TokenCounts } from './model-prices.ts';
import { DEFAULT_MODEL, toolChoiceFor } from './models.ts';
import { buildUserMessage, SYSTEM_PROMPT } from './prompt.ts';
import { answerSchemaFor, submitProposalTool, SUBMIT_PROPOSAL, type ProposalAnswer } from './proposal-answer.ts';
import { readAnswer } from './read-answer.ts';
import { createTokenBudget } from './token-budget.ts';

export interface ClaudeWriterOptions {
  apiKey: string;
  /** A proxy, or the fake server in tests. Default: https://api.anthropic.com (the environment is not read). */
  baseURL?: string;
  model?: string;
  /** The SDK's own retries of 408, 409, 429, 5xx (529 overloaded included) and connection errors, honoring retry-after. */
  maxRetries?: number;
  /** Per request attempt. */
  timeoutMs?: number;
  /** Requests in flight at once, across all proposals. */
  concurrency?: number;
  /** Tokens (input, output, cache writes and reads) a cycle may spend before the fallback writes the rest. Unset: no limit. */
  cycleTokenBudget?: number;
  /** Output limit per request; thinking counts against it. Non-streaming requests must stay under ~21k (SDK rule). */
  maxOutputTokens?: number;
  logger: Logger;
  /** Writes whatever Claude does not: no key, a failed request, an invalid answer twice, a spent budget. */
  fallback: ProposalWriter;
  usage?: UsageRecorder;
}

/** The writer plus what a cycle runner needs: a reset per cycle and the cycle's usage for its report. */
export interface ClaudeWriter extends ProposalWriter {
  readonly model: string;
  /** Starts a cycle: the token budget is full again and the usage summary empty. */
  beginCycle(): void;
  /** Tokens, cost and fallbacks since beginCycle(). */
  cycleUsage(): CycleUsageSummary;
}

export const CLAUDE_WRITER_DEFAULTS = { maxRetries: 2, timeoutMs: 120_000, concurrency: 4, maxOutputTokens: 8192 } as const;

type Attempt = { ok: true; answer: ProposalAnswer; model: string } | { ok: false; reason: string };

/**
 * Proposals written by Claude through one forced-or-only tool (submit_proposal), validated with zod,
 * retried once with the validation errors, and otherwise written by the fallback writer, which says
 * so in `writtenBy`. No error escapes `write`: a cycle never fails because the LLM did.
 */
export function createClaudeWriter(options: ClaudeWriterOptions): ClaudeWriter {
  if (!options.apiKey) throw new TypeError('createClaudeWriter needs an API key; use the template writer without one');
  const model = options.model ?? DEFAULT_MODEL;
  const settings = { ...CLAUDE_WRITER_DEFAULTS, ...definedOnly(options) };
  const log = options.logger.child({ component: 'claude-writer', model });
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? 'https://api.anthropic.com',
    maxRetries: settings.maxRetries,
    timeout: settings.timeoutMs,
    logLevel: 'warn',
    // Messages only: the SDK's extra arguments can carry request details we do not want in logs.
    logger: {
      error: (message: string) => log.error(message),
      warn: (message: string) => log.warn(message),
      info: (message: string) => log.info(message),
      debug: (message: string) => log.debug(message),
    },
  });
  const limit = pLimit(Math.max(1, settings.concurrency));
  const budget = createTokenBudget(options.cycleTokenBudget);
  const ledger = createUsageLedger(model);
  const system: Anthropic.Messages.TextBlockParam[] = [{ type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }];
  const revise = createClaudeReviser({ client, model, maxOutputTokens: settings.maxOutputTokens, limit, logger: log });
  const budgetReason = () => `cycle token budget of ${budget.limit} tokens used up`;

  /** One request, queued behind the concurrency limit; null when the budget ran out while it waited. */
  function request(messages: Anthropic.Messages.MessageParam[], tool: Anthropic.Messages.Tool, tally: Tally) {
    return limit(async () => {
      if (budget.exhausted) return null;
      tally.requests += 1;
      const message: unknown = await client.messages.create({
        model,
        max_tokens: settings.maxOutputTokens,
        system,
        tools: [tool],
        tool_choice: toolChoiceFor(model, SUBMIT_PROPOSAL),
        messages,
      });
      assertMessage(message);
      const spent = addUsage(tally, message.usage);
      budget.spend(spent);
      return message;
    });
  }

  async function attempt(finding: Finding, tally: Tally): Promise<Attempt> {
    const schema = answerSchemaFor(finding);
    const tool = submitProposalTool(finding);
    const messages: Anthropic.Messages.MessageParam[] = [{ role: 'user', content: buildUserMessage(finding) }];
    for (let round = 1; round <= 2; round += 1) {
      const message = await request(messages, tool, tally);
      if (!message) return { ok: false, reason: budgetReason() };
      const reading = readAnswer(message, schema);
      if (reading.kind === 'answer') return { ok: true, answer: reading.answer, model: message.model || model };
      if (reading.kind === 'refused') return { ok: false, reason: 'the model declined to write it' };
      if (round === 2) {
        log.warn({ fingerprint: finding.fingerprint, problems: reading.problems }, 'answer still invalid after one retry');
        return { ok: false, reason: 'answer invalid after one retry' };
      }
      log.info({ fingerprint: finding.fingerprint, problems: reading.problems }, 'answer invalid; retrying once with the errors');
      messages.push({ role: 'assistant', content: message.content }, { role: 'user', content: reading.retry });
    }
    return { ok: false, reason: 'answer invalid after one retry' };
  }

  function record(finding: Finding, tally: Tally, writtenBy: string, fallbackReason?: string): ProposalUsage {
    const usage: ProposalUsage = {
      fingerprint: finding.fingerprint,
      model,
      writtenBy,
      requests: tally.requests,
      inputTokens: tally.inputTokens,
      outputTokens: tally.outputTokens,
      cacheCreationInputTokens: tally.cacheCreationInputTokens,
      cacheReadInputTokens: tally.cacheReadInputTokens,
      costUsd: tally.requests ? nullableRound(costUsd(model, tally)) : 0,
      ...(fallbackReason ? { fallbackReason } : {}),
    };
    ledger.record(usage);
    try {
      options.usage?.record(usage);
    } catch (error) {
      log.warn({ err: error }, 'usage recorder failed');
    }
    const { fingerprint: _f, model: _m, ...figures } = usage;
    log.info(
      { fingerprint: finding.fingerprint, ...figures },
      fallbackReason ? 'proposal written by the fallback writer' : 'proposal written by Claude',
    );
    return usage;
  }

  /** The proposal keeps what it cost, so the metrics can add it up. */
  function writerUsage(usage: ProposalUsage): ProposalDraft['writerUsage'] {
    const { model: used, requests, inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens, costUsd: cost } = usage;
    return { model: used, requests, inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens, costUsd: cost };
  }

  async function fallback(finding: Finding, tally: Tally, reason: string): Promise<ProposalDraft> {
    const draft = await options.fallback.write(finding);
    const writtenBy = `${draft.writtenBy ?? options.fallback.name} (fallback: ${reason})`;
    const usage = record(finding, tally, writtenBy, reason);
    return { ...draft, writtenBy, ...(usage.requests ? { writerUsage: writerUsage(usage) } : {}) };
  }

  return {
    name: 'claude',
    model,
    async write(finding) {
      const tally = emptyTally();
      let outcome: Attempt;
      try {
        outcome = await attempt(finding, tally);
      } catch (error) {
        const reason = failureReason(error);
        log.warn({ err: error, fingerprint: finding.fingerprint, reason }, 'Claude request failed; using the fallback writer');
        outcome = { ok: false, reason };
      }
      if (!outcome.ok) return fallback(finding, tally, outcome.reason);
      const draft = draftFromAnswer(finding, outcome.answer, outcome.model);
      return { ...draft, writerUsage: writerUsage(record(finding, tally, outcome.model)) };
    },
    revise,
    beginCycle() {
      budget.reset();
      ledger.reset();
    },
    cycleUsage() {
      return ledger.summary({ limit: budget.limit, exhausted: budget.exhausted });
    },
  };
}

interface Tally extends TokenCounts {
  requests: number;
}

function emptyTally(): Tally {
  return { requests: 0, inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
}

/** Adds a response's usage to the tally; returns the tokens it counts against the budget. */
function addUsage(tally: Tally, usage: Anthropic.Messages.Usage): number {
  const input = usage.input_tokens ?? 0;
  const output = usage.output_tokens ?? 0;
  const written = usage.cache_creation_input_tokens ?? 0;
  const read = usage.cache_read_input_tokens ?? 0;
  tally.inputTokens += input;
  tally.outputTokens += output;
  tally.cacheCreationInputTokens += written;
  tally.cacheReadInputTokens += read;
  return input + output + written + read;
}

function nullableRound(value: number | null): number | null {
  return value === null ? null : roundUsd(value);
}

function definedOnly(options: ClaudeWriterOptions) {
  const picked: Partial<Record<keyof typeof CLAUDE_WRITER_DEFAULTS, number>> = {};
  for (const key of Object.keys(CLAUDE_WRITER_DEFAULTS) as (keyof typeof CLAUDE_WRITER_DEFAULTS)[]) {
    const value = options[key];
    if (typeof value === 'number' && Number.isFinite(value)) picked[key] = value;
  }
  return picked;
}
