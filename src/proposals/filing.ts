import type { Finding } from '../domain/finding.ts';
import { isOpen, type Proposal } from '../domain/proposal.ts';

export type FilingDecision =
  | { action: 'create'; reason: string }
  | { action: 'refresh'; proposal: Proposal }
  | { action: 'suppress'; proposal: Proposal; reason: string };

// Once a person approved a proposal, the cycle no longer rewrites what they approved.

/**
 * What to do with a finding given the newest proposal filed for its fingerprint: a finding seen again
 * updates its open proposal; a rejected (or already implemented) one comes back only when it grew
 * materially worse, so people are not asked the same question twice.
 */
export function decideFiling(existing: Proposal | null, finding: Finding, worseningFactor: number): FilingDecision {
  if (!existing) return { action: 'create', reason: 'new finding' };
  if (existing.status === 'pending') return { action: 'refresh', proposal: existing };
  if (isOpen(existing.status))
    return {
      action: 'suppress',
      proposal: existing,
      reason: `seen again; ${existing.id} is ${existing.status}, so its content is left as approved`,
    };
  if (existing.status === 'rolled_back') return { action: 'create', reason: `the change of ${existing.id} was rolled back` };
  const before = existing.magnitude ?? 0;
  const threshold = before * worseningFactor;
  if (before > 0 && finding.magnitude >= threshold) {
    return { action: 'create', reason: `grew from ${before} to ${finding.magnitude} since ${existing.id} was ${existing.status}` };
  }
  return {
    action: 'suppress',
    proposal: existing,
    reason: `${existing.id} was ${existing.status}; magnitude ${finding.magnitude} is below ${threshold} (×${worseningFactor})`,
  };
}
