import type { ProposalStatus } from './proposal.ts';

/**
 * The order lists sort statuses in: what waits on a person or is in flight comes first, then what
 * was decided. Both stores keep it (the embedded store's schema spells it out in SQL, the Redis
 * store reads one index per status in this order), and the dashboard's list sorts by it.
 */
export const LIST_STATUS_ORDER: readonly ProposalStatus[] = [
  'pending',
  'approved',
  'executing',
  'failed',
  'implemented',
  'merged',
  'rolled_back',
  'rejected',
];

export const STATUS_RANK: Readonly<Record<ProposalStatus, number>> = Object.fromEntries(
  LIST_STATUS_ORDER.map((status, rank) => [status, rank]),
) as Record<ProposalStatus, number>;
