import type { ChangeOutcome } from '../../domain/outcome.ts';

/** One measure compared over the two windows, before the verdict is drawn; a string says why it could not be. */
export type Comparison = Omit<
  ChangeOutcome,
  'proposalId' | 'type' | 'changedAt' | 'marker' | 'markedBy' | 'windowDays' | 'verdict' | 'measuredAt'
> & {
  lowerIsBetter: boolean;
};
