import type { Finding } from '../domain/finding.ts';
import type { ProposalDraft } from '../domain/proposal.ts';

/** What writing a cycle's proposals cost, as the cycle report shows it. */
export interface WriterUsage {
  model: string;
  /** Proposals the model wrote, and those that fell back to the template writer (with why). */
  writtenByModel: number;
  fallbacks: number;
  fallbackReasons: Record<string, number>;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** All four token kinds: what the cycle token budget counts. */
  totalTokens: number;
  /** null if any request used a model without a price. */
  costUsd: number | null;
  tokenBudget: number | null;
  budgetExhausted: boolean;
}

/** Turns a finding into a proposal's text: templates offline, Claude online. */
export interface ProposalWriter {
  readonly name: string;
  write(finding: Finding): Promise<ProposalDraft>;
  /** Starts a cycle's token budget and usage ledger (writers that spend tokens). */
  beginCycle?(): void;
  /** What this cycle's writing cost so far. */
  cycleUsage?(): WriterUsage;
}
