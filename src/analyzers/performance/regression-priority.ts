import type { Priority } from '../../domain/proposal.ts';

/** One rule for both detectors: a regression past the threshold, or a doubling, is urgent. */
export function regressionPriority(afterMs: number, relativeChange: number, thresholdMs: number): Priority {
  return afterMs > thresholdMs || relativeChange >= 1 ? 'high' : 'medium';
}
