import type { ProposalType } from './proposal.ts';

/** What a before/after comparison concluded about an implemented change. */
export const VERDICTS = ['improved', 'no change', 'worse'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * Whether a change helped: the measure it targeted over equal windows before and after the moment
 * it took effect, the test that compared them, the effect with its 95% interval, and the verdict.
 */
export interface ChangeOutcome {
  proposalId: string;
  type: ProposalType;
  /** What was compared, for people: "hourly p95 of GET /api/orders/:id", "occurrences of the error group". */
  measure: string;
  /**
   * When the change took effect, and what said so: the deploy that shipped it, else its merge, else
   * the executor's commit (a learning proposal's 'implemented' is when its knowledge was published).
   */
  changedAt: string;
  marker: 'deployed' | 'merged' | 'implemented';
  /** For people, which marker it was: "deploy 812 to production (commit 4f2c9ab), reported to the API". */
  markedBy?: string;
  windowDays: number;
  /** The measure's value in each window (median hourly p95 in ms, events, a rate). */
  before: number;
  after: number;
  unit: string;
  test: 'mann-whitney' | 'poisson-rate' | 'two-proportion' | 'fisher-exact';
  /** after/before ('ratio') or after − before ('difference'), with its 95% interval. */
  effect: { kind: 'ratio' | 'difference'; estimate: number; low: number; high: number };
  pValue: number;
  verdict: Verdict;
  measuredAt: string;
}
