import { PRIORITIES, type EvidenceItem } from '../../domain/proposal.ts';
import type { ProposalSummary } from '../../ports/store.ts';

/** A proposal as the ranking model sees it: named numeric features, most of them 0/1 indicators. */
export type FeatureVector = ReadonlyMap<string, number>;

/** What a ranked proposal needs; a stored summary has all of it. */
export type RankableProposal = Pick<ProposalSummary, 'type' | 'priority' | 'evidence' | 'hasPatch'> &
  Partial<Pick<ProposalSummary, 'category' | 'magnitude' | 'subject' | 'preflight'>>;

const log1p10 = (value: number) => Math.log10(1 + Math.max(0, value));

/** The first evidence number whose label matches, e.g. customers affected or revenue at stake. */
function evidenceNumber(evidence: readonly EvidenceItem[], label: RegExp): number | undefined {
  for (const item of evidence) {
    const value = typeof item.value === 'number' ? item.value : Number(String(item.value).replace(/[^0-9.-]/g, ''));
    if (label.test(item.label) && Number.isFinite(value)) return value;
  }
  return undefined;
}

/**
 * The code area a proposal touches: the first two folders of its first file, or the first two
 * segments of its endpoint's path ("GET /api/orders/:id" → "/api/orders"). Teams decide by area
 * ("anything in checkout", "not the legacy admin"), so it is a feature of its own.
 */
export function codeArea(proposal: RankableProposal): string | undefined {
  const file = proposal.subject?.files?.[0];
  if (file)
    return file
      .split('/')
      .slice(0, Math.min(2, file.split('/').length - 1) || 1)
      .join('/');
  const endpoint = proposal.subject?.endpoint;
  if (endpoint) {
    const route = endpoint.replace(/^[A-Z]+\s+/, '').split('?')[0]!;
    return (
      route
        .split('/')
        .filter((segment) => segment && !segment.startsWith(':'))
        .slice(0, 2)
        .map((s) => `/${s}`)
        .join('') || '/'
    );
  }
  return undefined;
}

/**
 * The finding's features (type, category, priority, magnitude by type since units differ by
 * analyzer, customers affected, revenue, trend, code area, whether a tried patch comes with it).
 */
export function featuresOf(proposal: RankableProposal): FeatureVector {
  const features = new Map<string, number>();
  features.set(`type=${proposal.type}`, 1);
  if (proposal.category) features.set(`category=${proposal.category}`, 1);
  features.set('priority', PRIORITIES.indexOf(proposal.priority) / (PRIORITIES.length - 1));
  if (proposal.magnitude !== undefined) features.set(`magnitude|${proposal.type}`, log1p10(proposal.magnitude) / 6);
  const customers = evidenceNumber(proposal.evidence, /customer|accounts?\b|users?\b|conversations?/i);
  if (customers !== undefined) features.set('customers', log1p10(customers) / 5);
  const revenue = evidenceNumber(proposal.evidence, /revenue|\bARR\b|\bMRR\b|spend/i);
  if (revenue !== undefined) features.set('revenue', log1p10(revenue) / 7);
  const trend = evidenceNumber(proposal.evidence, /trend|growth|week.over.week|increase/i);
  if (trend !== undefined) features.set('trend', Math.sign(trend) * Math.min(1, Math.abs(trend) / 100));
  const area = codeArea(proposal);
  if (area) features.set(`area=${area}`, 1);
  if (proposal.hasPatch) features.set('has patch', proposal.preflight?.passed === false ? 0.5 : 1);
  return features;
}
