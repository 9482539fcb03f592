import type { Config } from '../config.ts';
import type { Finding } from '../domain/finding.ts';
import type { Logger } from '../logging.ts';
import type { ProposalWriter } from '../ports/writer.ts';
import { createTemplateWriter } from '../adapters/llm/offline/template-writer.ts';

/**
 * Claude when ANTHROPIC_API_KEY is set (templates take over when it fails), templates otherwise.
 * `template` is kept apart too: a dry run drafts with it and spends nothing.
 */
export async function buildWriter(
  llm: Config['llm'],
  logger: Logger,
  /** Reads a file of the target repository, so docs findings get a JSDoc patch offline; null when it is not there. */
  readFile: (file: string) => Promise<string | null>,
): Promise<{ writer: ProposalWriter; template: ProposalWriter; mode: string }> {
  const template = createTemplateWriter({ readFile });
  if (!llm.apiKey) return { writer: template, template, mode: 'offline (template writer; set ANTHROPIC_API_KEY for Claude)' };
  // The SDK loads only when a key is set.
  const { createClaudeWriter } = await import('../adapters/llm/anthropic/claude-writer.ts');
  const writer = createClaudeWriter({
    apiKey: llm.apiKey,
    model: llm.model,
    ...(llm.baseURL ? { baseURL: llm.baseURL } : {}),
    ...(llm.cycleTokenBudget ? { cycleTokenBudget: llm.cycleTokenBudget } : {}),
    maxRetries: llm.maxRetries,
    timeoutMs: llm.timeoutMs,
    concurrency: llm.concurrency,
    maxOutputTokens: llm.maxOutputTokens,
    logger,
    fallback: template,
  });
  const budget = llm.cycleTokenBudget ? `${llm.cycleTokenBudget} tokens per cycle` : 'no token budget';
  return {
    writer: withTemplatesFor(TEMPLATE_ONLY, writer, template),
    template,
    mode: `online (${llm.model}; ${budget}; templates when it fails)`,
  };
}

/**
 * Security proposals are drafted by templates whatever the writer: what they say is fixed by the
 * advisory and the lockfile (ids, versions, the one lockfile edit that is safe offline), a model
 * could only restate it less exactly, and a secret's proposal is better not shown to one at all.
 */
const TEMPLATE_ONLY: ReadonlySet<Finding['type']> = new Set(['security']);

function withTemplatesFor(types: ReadonlySet<Finding['type']>, writer: ProposalWriter, template: ProposalWriter): ProposalWriter {
  return {
    name: writer.name,
    write: (finding) => (types.has(finding.type) ? template.write(finding) : writer.write(finding)),
    ...(writer.beginCycle ? { beginCycle: () => writer.beginCycle!() } : {}),
    ...(writer.cycleUsage ? { cycleUsage: () => writer.cycleUsage!() } : {}),
    ...(writer.revise ? { revise: (request) => writer.revise!(request) } : {}),
  };
}
