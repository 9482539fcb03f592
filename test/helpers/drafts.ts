import type { ProposalDraft } from '../../src/domain/proposal.ts';

let counter = 0;

export function makeDraft(overrides: Partial<ProposalDraft> = {}): ProposalDraft {
  counter += 1;
  return {
    type: 'performance',
    title: `Cache GET /api/orders/:id (${counter})`,
    summary: 'p95 latency is 2840 ms against a 2000 ms threshold.',
    evidence: [
      { label: 'p95 latency', value: 2840, unit: 'ms' },
      { label: 'calls per day', value: 41200 },
    ],
    priority: 'high',
    risk: 'Stale reads for up to 60 s.',
    implementationPlan: 'Add a read-through cache in front of the order lookup.',
    rollbackPlan: 'Revert the commit; the cache is additive.',
    testPlan: 'Unit test for cache hit and miss; load test before and after.',
    fingerprint: `performance:/api/orders/:id:${counter}:${Math.random().toString(36).slice(2)}`,
    writtenBy: 'template',
    source: 'performance',
    ...overrides,
  };
}
