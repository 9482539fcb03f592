import type { WriterUsage } from '../../ports/writer.ts';

/**
 * What writing proposals cost: one record per proposal (all its requests together, the retry
 * included) and a summary per cycle. Records carry no prompt or answer text, so they can go to logs,
 * metrics or a report without leaking customer data.
 */
export interface ProposalUsage {
  fingerprint: string;
  /** The model asked, even when the proposal fell back to the template writer. */
  model: string;
  /** What the draft says wrote it: the model id, or "template (fallback: …)". */
  writtenBy: string;
  /** Messages API calls made for it (at most 2: the answer and its one retry); the SDK's own retries inside a call are not counted. */
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** null when the model has no entry in the price table. */
  costUsd: number | null;
  fallbackReason?: string;
}

/** A side channel for usage (metrics, a ledger); the writer calls it once per proposal it handles. */
export interface UsageRecorder {
  record(usage: ProposalUsage): void;
}

/** The cycle's summary is the writer port's WriterUsage: the cycle report carries it. */
export type CycleUsageSummary = WriterUsage;

/** Keeps the records of one cycle and sums them; `reset()` starts the next cycle. */
export function createUsageLedger(model: string) {
  let records: ProposalUsage[] = [];
  return {
    record(usage: ProposalUsage): void {
      records.push(usage);
    },
    records(): readonly ProposalUsage[] {
      return records;
    },
    reset(): void {
      records = [];
    },
    summary(budget: { limit: number | null; exhausted: boolean }): CycleUsageSummary {
      const sum = (pick: (u: ProposalUsage) => number) => records.reduce((total, u) => total + pick(u), 0);
      const fallbackReasons: Record<string, number> = {};
      for (const u of records) if (u.fallbackReason) fallbackReasons[u.fallbackReason] = (fallbackReasons[u.fallbackReason] ?? 0) + 1;
      const inputTokens = sum((u) => u.inputTokens);
      const outputTokens = sum((u) => u.outputTokens);
      const cacheCreationInputTokens = sum((u) => u.cacheCreationInputTokens);
      const cacheReadInputTokens = sum((u) => u.cacheReadInputTokens);
      const unpriced = records.some((u) => u.costUsd === null && u.requests > 0);
      return {
        model,
        writtenByModel: records.filter((u) => !u.fallbackReason).length,
        fallbacks: records.filter((u) => u.fallbackReason).length,
        fallbackReasons,
        requests: sum((u) => u.requests),
        inputTokens,
        outputTokens,
        cacheCreationInputTokens,
        cacheReadInputTokens,
        totalTokens: inputTokens + outputTokens + cacheCreationInputTokens + cacheReadInputTokens,
        costUsd: unpriced ? null : roundUsd(sum((u) => u.costUsd ?? 0)),
        tokenBudget: budget.limit,
        budgetExhausted: budget.exhausted,
      };
    },
  };
}

export type UsageLedger = ReturnType<typeof createUsageLedger>;

/** Micro-dollar precision: enough for a report, free of float noise like 0.30000000000000004. */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
