import type { ChangeOutcome } from '../domain/outcome.ts';
import { PROPOSAL_TYPES, STATUSES } from '../domain/proposal.ts';
import type { ActivityEntry, PerformanceGain, ProposalStore } from '../ports/store.ts';

/** The seed's metrics response. Every number is read from stored counters and records. */
export interface MetricsReport {
  metrics: {
    improvementsProposed: number;
    improvementsApproved: number;
    improvementsRejected: number;
    improvementsImplemented: number;
    improvementsFailed: number;
    improvementsRolledBack: number;
    bugsDetected: number;
    bugsFixed: number;
    featuresDiscovered: number;
    featuresImplemented: number;
    performanceImprovements: number;
    testsGenerated: number;
    docsGenerated: number;
    /** implemented / (implemented + failed executions), null before any execution finished. */
    executionSuccessRate: number | null;
  };
  proposals: {
    /** Proposals stored now (terminal ones expire after the retention period). */
    total: number;
    /** Stored now, by status. */
    byStatus: Record<string, number>;
    /** Filed since the start, by type (outlives expiry, like the metrics). */
    byType: Record<string, number>;
  };
  recentActivity: ActivityEntry[];
  /** What writing proposals with a model has cost, over all time. */
  llm: {
    proposalsWritten: number;
    requests: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    costUsd: number;
  };
  performanceGains: {
    totalResponseTimeReduced: number;
    optimizedEndpoints: number;
    averageReductionPercent: number | null;
    measurements: PerformanceGain[];
  };
  /** Before/after verdicts of implemented changes, each by a statistical test. */
  outcomes: {
    improved: number;
    noChange: number;
    worse: number;
    measurements: ChangeOutcome[];
  };
}

export async function computeMetrics(store: ProposalStore, activityLimit = 20): Promise<MetricsReport> {
  const [counters, recentActivity, gains, outcomes] = await Promise.all([
    store.counters(),
    store.recentActivity(activityLimit),
    store.listGains(),
    store.listOutcomes(),
  ]);
  const n = (name: string) => counters[name] ?? 0;
  const implemented = n('entered:implemented');
  const failed = n('entered:failed');
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, n(`current:status:${s}`)]));
  const byType = Object.fromEntries(PROPOSAL_TYPES.map((t) => [t, n(`proposed:type:${t}`)]));
  return {
    metrics: {
      improvementsProposed: n('proposed'),
      improvementsApproved: n('decided:approved'),
      improvementsRejected: n('decided:rejected'),
      improvementsImplemented: implemented,
      improvementsFailed: failed,
      improvementsRolledBack: n('entered:rolled_back'),
      bugsDetected: n('proposed:type:bug_fix'),
      bugsFixed: n('entered:implemented:type:bug_fix'),
      featuresDiscovered: n('proposed:type:feature'),
      featuresImplemented: n('entered:implemented:type:feature'),
      performanceImprovements: n('entered:implemented:type:performance'),
      testsGenerated: n('entered:implemented:category:tests'),
      docsGenerated: n('entered:implemented:category:docs'),
      executionSuccessRate: implemented + failed > 0 ? implemented / (implemented + failed) : null,
    },
    proposals: {
      total: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      byType,
    },
    recentActivity,
    llm: {
      proposalsWritten: n('llm:proposals'),
      requests: n('llm:requests'),
      inputTokens: n('llm:input_tokens'),
      outputTokens: n('llm:output_tokens'),
      cacheReadTokens: n('llm:cache_read_tokens'),
      costUsd: n('llm:cost_microusd') / 1e6,
    },
    performanceGains: summarizeGains(gains, outcomes),
    outcomes: {
      improved: outcomes.filter((o) => o.verdict === 'improved').length,
      noChange: outcomes.filter((o) => o.verdict === 'no change').length,
      worse: outcomes.filter((o) => o.verdict === 'worse').length,
      measurements: outcomes,
    },
  };
}

/**
 * Net of every measurement: a change that made an endpoint slower counts against the total. An
 * endpoint counts as optimized only when its change's before/after test says "improved"; a lower
 * p95 that the test cannot tell from noise is not a gain. (A measurement from before tests were
 * recorded counts when its p95 fell.)
 */
export function summarizeGains(gains: PerformanceGain[], outcomes: readonly ChangeOutcome[] = []): MetricsReport['performanceGains'] {
  const verdicts = new Map(outcomes.map((o) => [o.proposalId, o.verdict]));
  const improved = gains.filter((g) => (verdicts.has(g.proposalId) ? verdicts.get(g.proposalId) === 'improved' : g.afterMs < g.beforeMs));
  const reduced = gains.reduce((sum, g) => sum + (g.beforeMs - g.afterMs), 0);
  const percents = gains.filter((g) => g.beforeMs > 0).map((g) => ((g.beforeMs - g.afterMs) / g.beforeMs) * 100);
  return {
    totalResponseTimeReduced: Math.round(reduced),
    optimizedEndpoints: new Set(improved.map((g) => g.endpoint)).size,
    averageReductionPercent: percents.length ? Math.round((percents.reduce((a, b) => a + b, 0) / percents.length) * 10) / 10 : null,
    measurements: gains,
  };
}
