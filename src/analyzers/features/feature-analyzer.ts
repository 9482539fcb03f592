import type { Finding } from '../../domain/finding.ts';
import type { EvidenceItem, Priority } from '../../domain/proposal.ts';
import type { Analyzer } from '../../ports/analyzer.ts';
import type { Capped, InteractionText, TelemetryWarehouse, TimeWindow } from '../../ports/warehouse.ts';
import type { BusinessValueOptions, RequestMetadata } from './business-value.ts';
import { clusterRequests, type FeatureTheme } from './cluster-requests.ts';
import { detectFeatureRequest } from './detect-request.ts';
import { requestMetadataOf } from './request-metadata.ts';
import { requestSeries } from './request-series.ts';
import { stableStems, themeKey } from './theme-key.ts';

export interface FeatureAnalyzerDeps {
  warehouse: TelemetryWarehouse;
  settings: { minFeatureRequestsForProposal: number };
  /**
   * Interaction texts fetched per cycle (default: every text of the window). Detection is a regex
   * pass, linear (100 000 texts: about 0.2 s after a 0.8 s fetch from DuckDB), and clustering costs
   * what the distinct request texts cost, not the requests (cluster-requests.ts), so nothing is
   * sampled. Given a cap the window exceeds, the title says the counts are of the newest texts only.
   */
  textCap?: number;
  /** Plan weights and revenue unit of the value score (business-value.ts). */
  value?: BusinessValueOptions;
}

/** No cap: the warehouse port takes one, and the largest safe integer is one no window reaches. */
export const DEFAULT_FEATURE_TEXT_CAP = Number.MAX_SAFE_INTEGER;

/**
 * Finds what customers ask the product to do: feature requests among interaction messages
 * (detect-request.ts), grouped into themes whose number the data decides (cluster-requests.ts),
 * ranked by frequency × business value. A theme with at least `minFeatureRequestsForProposal`
 * requests is a finding; its fingerprint comes from its label's sorted stems (theme-key.ts), so the
 * same theme keeps it across cycles and input orders.
 */
export function createFeatureAnalyzer(deps: FeatureAnalyzerDeps): Analyzer {
  return {
    name: 'features',
    cycles: ['weekly'],
    async analyze(context): Promise<Finding[]> {
      const texts = await deps.warehouse.interactionTexts(context.window, deps.textCap ?? DEFAULT_FEATURE_TEXT_CAP);
      const requests = texts.rows.filter((row) => detectFeatureRequest(row.message).isRequest);
      const metadata = requests.map((row) => requestMetadataOf(row.metadata));
      const themes = clusterRequests(
        requests.map((row, i) => ({ text: row.message, metadata: metadata[i]! })),
        deps.value ?? {},
      );
      const min = deps.settings.minFeatureRequestsForProposal;
      return themes
        .filter((theme) => theme.count >= min)
        .map((theme, rank) =>
          themeFinding(theme, rank + 1, requests, metadata, { texts, detected: requests.length, min, window: context.window }),
        );
    },
  };
}

interface Scope {
  texts: Capped<InteractionText>;
  /** Requests detected among the texts; every one of them is clustered. */
  detected: number;
  min: number;
  window: TimeWindow;
}

function themeFinding(theme: FeatureTheme, rank: number, requests: InteractionText[], metadata: RequestMetadata[], scope: Scope): Finding {
  const customers = new Set(theme.members.map((i) => requests[i]!.customerId));
  const revenue = revenueRepresented(theme.members.map((i) => [requests[i]!.customerId, metadata[i]!] as const));
  const plans = countPlans(theme.members.map((i) => metadata[i]!));
  const name = theme.label.join(', ');
  const score = Math.round(theme.score * 100) / 100;
  const evidence: EvidenceItem[] = [
    { label: 'requests', value: theme.count },
    { label: 'distinct customers', value: customers.size },
    { label: 'value score', value: score },
    { label: 'revenue represented', value: revenue },
    { label: 'top terms', value: name },
    ...theme.examples.map((quote, i) => ({ label: `quote ${i + 1}`, value: `“${quote}”` })),
    { label: 'requests detected in window', value: scope.detected },
    ...(scope.texts.capped
      ? [
          { label: 'texts analyzed', value: scope.texts.rows.length },
          { label: 'texts in window', value: scope.texts.total },
          { label: 'text cap', value: scope.texts.cap },
        ]
      : []),
  ];
  return {
    analyzer: 'features',
    type: 'feature',
    fingerprint: `feature:${themeKey(theme.label)}`,
    title: `Customers ask for ${name} (${theme.count} requests from ${customers.size} customer${customers.size === 1 ? '' : 's'}${sampledNote(scope)})`,
    summary:
      `${theme.count} feature requests from ${customers.size} customers share the terms ${name}` +
      `${revenue > 0 ? `, representing ${revenue.toLocaleString('en-US')} in revenue` : ''}; value score ${score} (rank ${rank} of the themes this cycle).`,
    evidence,
    priority: priorityOf(theme.score, scope.min),
    magnitude: theme.count,
    series: requestSeries(
      theme.members.map((i) => requests[i]!.timestamp),
      scope.window,
    ),
    details: {
      kind: 'theme',
      rank,
      themeKey: themeKey(theme.label),
      label: theme.label,
      stems: stableStems(theme.label),
      count: theme.count,
      customers: customers.size,
      score: theme.score,
      revenue,
      plans,
      quotes: theme.examples,
    },
  };
}

/** Counts from part of the window must not read as the window's: say which part. */
function sampledNote(scope: Scope): string {
  if (scope.texts.capped)
    return ` in the newest ${scope.texts.rows.length.toLocaleString('en-US')} of ${scope.texts.total.toLocaleString('en-US')} messages`;
  return '';
}

/** Revenue is an account's, not a message's: each customer counts once, at the largest figure seen. */
function revenueRepresented(requests: readonly (readonly [customerId: string, metadata: RequestMetadata])[]): number {
  const byCustomer = new Map<string, number>();
  for (const [customerId, metadata] of requests) {
    if (metadata.revenue !== undefined) byCustomer.set(customerId, Math.max(byCustomer.get(customerId) ?? 0, metadata.revenue));
  }
  return [...byCustomer.values()].reduce((sum, r) => sum + r, 0);
}

function countPlans(metadata: readonly RequestMetadata[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const m of metadata) {
    const plan = (m.plan ?? m.tier ?? 'unknown').toLowerCase();
    counts.set(plan, (counts.get(plan) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/**
 * The score against the smallest theme that qualifies (`min` requests worth 1 each, e.g. free plans
 * with no revenue): four times that is high, twice medium. Features always wait for a person, so the
 * priority orders the queue and no more.
 */
function priorityOf(score: number, min: number): Priority {
  if (score >= 4 * min) return 'high';
  if (score >= 2 * min) return 'medium';
  return 'low';
}
