import { describe, expect, it } from 'vitest';
import type { ChangeOutcome } from '../../src/domain/outcome.ts';
import { summarizeGains } from '../../src/proposals/metrics.ts';

const gain = (proposalId: string, endpoint: string, beforeMs: number, afterMs: number) => ({
  proposalId,
  endpoint,
  beforeMs,
  afterMs,
  measuredAt: '2026-02-01T00:00:00.000Z',
});

describe('realized performance gains', () => {
  it('counts a change that made an endpoint slower against the total and the average', () => {
    const summary = summarizeGains([gain('p1', 'GET /a', 3000, 1000), gain('p2', 'GET /b', 1000, 1500)]);
    expect(summary.totalResponseTimeReduced).toBe(1500);
    expect(summary.optimizedEndpoints).toBe(1);
    // (66.7% faster + 50% slower) / 2
    expect(summary.averageReductionPercent).toBe(8.3);
  });

  it('says nothing about an average before anything was measured', () => {
    expect(summarizeGains([])).toMatchObject({ totalResponseTimeReduced: 0, optimizedEndpoints: 0, averageReductionPercent: null });
  });
});

describe('gains that a test has judged', () => {
  const judged = (proposalId: string, verdict: ChangeOutcome['verdict']): ChangeOutcome => ({
    proposalId,
    type: 'performance',
    measure: 'hourly p95',
    changedAt: '2026-01-10T00:00:00.000Z',
    marker: 'implemented',
    windowDays: 7,
    before: 3000,
    after: 2900,
    unit: 'ms',
    test: 'mann-whitney',
    effect: { kind: 'ratio', estimate: 0.97, low: 0.9, high: 1.05 },
    pValue: 0.4,
    verdict,
    measuredAt: '2026-01-18T00:00:00.000Z',
  });

  it('counts an endpoint as optimized only when its before/after test says improved, not for any lower p95', () => {
    const gains = [gain('p1', 'GET /a', 3000, 2900), gain('p2', 'GET /b', 3000, 1000), gain('p3', 'GET /c', 2000, 1900)];
    const summary = summarizeGains(gains, [judged('p1', 'no change'), judged('p2', 'improved')]);
    // p3 was measured before outcomes were recorded: its lower p95 still counts.
    expect(summary.optimizedEndpoints).toBe(2);
    expect(summarizeGains(gains, [judged('p1', 'no change'), judged('p2', 'improved'), judged('p3', 'no change')]).optimizedEndpoints).toBe(
      1,
    );
  });
});
