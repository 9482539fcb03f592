import type { RequestMetadata } from './business-value.ts';

/**
 * The business facts of an interaction's metadata, as business-value.ts reads them: `plan` and
 * `tier` as non-empty strings, `revenue` as a non-negative number (a numeric string such as
 * "12000" or "12,000.50" counts; anything else is ignored rather than guessed at).
 */
export function requestMetadataOf(metadata: Record<string, unknown>): RequestMetadata {
  const found: RequestMetadata = {};
  if (typeof metadata.plan === 'string' && metadata.plan.trim()) found.plan = metadata.plan.trim();
  if (typeof metadata.tier === 'string' && metadata.tier.trim()) found.tier = metadata.tier.trim();
  const revenue = numberOf(metadata.revenue);
  if (revenue !== null && revenue >= 0) found.revenue = revenue;
  return found;
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !/^\s*\d[\d,]*(?:\.\d+)?\s*$/.test(value)) return null;
  return Number(value.replace(/[,\s]/g, ''));
}
