import { describe, expect, it } from 'vitest';
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
