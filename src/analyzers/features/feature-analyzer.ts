import type { Finding } from '../../domain/finding.ts';
import type { EvidenceItem, Priority } from '../../domain/proposal.ts';
import type { Analyzer } from '../../ports/analyzer.ts';
import type { Capped, InteractionText, TelemetryWarehouse, TimeWindow } from '../../ports/warehouse.ts';
import { interactionTextsOnce, NO_TEXT_CAP } from '../interaction-texts.ts';
import type { BusinessValueOptions, RequestMetadata } from './business-value.ts';
import { formatMoney } from '../../domain/money.ts';
import { clusterRequests, type FeatureTheme } from './cluster-requests.ts';
import { detectFeatureRequest } from './detect-request.ts';
import { distinctQuotes } from './distinct-quotes.ts';
import { requestMetadataOf } from './request-metadata.ts';
import { requestSeries } from './request-series.ts';
import { representativePhrase } from './theme-phrase.ts';
import { stableStems, themeKey } from './theme-key.ts';

export interface FeatureAnalyzerDeps {
  warehouse: TelemetryWarehouse;
  /** `currency`: ISO 4217 code of the revenue figures (CURRENCY, default USD). */
  settings: { minFeatureRequestsForProposal: number; currency?: string };
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

const QUOTES = 3;
const QUOTE_CANDIDATES = 12;

export const DEFAULT_FEATURE_TEXT_CAP = NO_TEXT_CAP;

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
      const cap = deps.textCap ?? DEFAULT_FEATURE_TEXT_CAP;
      const withMessages = deps.warehouse.interactionsWithMessages?.bind(deps.warehouse);
      let texts: Capped<InteractionText>;
      let requests: InteractionText[];
      if (withMessages && cap === NO_TEXT_CAP) {
        // Detected once per distinct message in the warehouse's list; only the requests' rows are read.
        requests = await withMessages(context.window, (messages) => messages.filter((message) => detectFeatureRequest(message).isRequest));
        texts = { rows: requests, total: requests.length, cap, capped: false };
      } else {
        texts = await interactionTextsOnce(context, deps.warehouse, cap);
        // Detected once per distinct message: customers repeat themselves far more than rows suggest.
        const isRequest = new Map<string, boolean>();
        requests = texts.rows.filter((row) => {
          let verdict = isRequest.get(row.message);
          if (verdict === undefined) isRequest.set(row.message, (verdict = detectFeatureRequest(row.message).isRequest));
          return verdict;
        });
      }
      const metadata = requests.map((row) => requestMetadataOf(row.metadata));
      // More candidates than quotes shown: those differing only in numbers are dropped (distinct-quotes.ts).
      const themes = clusterRequests(
        requests.map((row, i) => ({ text: row.message, metadata: metadata[i]! })),
        { ...deps.value, examples: QUOTE_CANDIDATES },
      );
      const min = deps.settings.minFeatureRequestsForProposal;
      const currency = deps.settings.currency ?? 'USD';
      return themes
        .filter((theme) => theme.count >= min)
        .map((theme, rank) =>
          themeFinding(theme, rank + 1, requests, metadata, { texts, detected: requests.length, min, window: context.window, currency }),
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
  currency: string;
}

function themeFinding(theme: FeatureTheme, rank: number, requests: InteractionText[], metadata: RequestMetadata[], scope: Scope): Finding {
  const customers = new Set(theme.members.map((i) => requests[i]!.customerId));
  const revenue = revenueRepresented(theme.members.map((i) => [requests[i]!.customerId, metadata[i]!] as const));
  const plans = countPlans(theme.members.map((i) => metadata[i]!));
  const terms = theme.label.join(', ');
  const name = themePhrase(theme, requests);
  const quotes = distinctQuotes(theme.examples, QUOTES);
  const score = Math.round(theme.score * 100) / 100;
  const money = formatMoney(revenue, scope.currency);
  const evidence: EvidenceItem[] = [
    { label: 'requests', value: theme.count },
    { label: 'distinct customers', value: customers.size },
    { label: 'value score', value: score },
    { label: 'revenue represented', value: money },
    { label: 'theme', value: name },
    { label: 'distinctive words', value: terms },
    ...quotes.map((quote, i) => ({ label: `quote ${i + 1}`, value: `“${quote}”` })),
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
    title: `Customers ask for ${name} (${count(theme.count, 'request')} from ${count(customers.size, 'customer')}${sampledNote(scope)})`,
    summary:
      `${count(theme.count, 'feature request')} from ${count(customers.size, 'customer')} ask for ${name}` +
      `${revenue > 0 ? `; those customers represent ${money} in revenue` : ''}. Ranked ${rank} of this cycle's themes by frequency × plan and revenue (value score ${score}).`,
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
      phrase: name,
      stems: stableStems(theme.label),
      count: theme.count,
      customers: customers.size,
      score: theme.score,
      revenue,
      currency: scope.currency,
      plans,
      quotes,
    },
  };
}

/** The phrase the theme's requests use most (theme-phrase.ts); its label words when none qualifies. */
function themePhrase(theme: FeatureTheme, requests: readonly InteractionText[]): string {
  return representativePhrase(
    theme.members.map((i) => ({ text: requests[i]!.message, weight: 1 })),
    theme.label.join(' '),
  );
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
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
