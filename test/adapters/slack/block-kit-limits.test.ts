import type { KnownBlock } from '@slack/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockLimitViolations, TRUNCATION_MARK } from '../../../src/adapters/slack/views/block-limits.ts';
import { renderDigest } from '../../../src/adapters/slack/views/digest-message.ts';
import { renderExecutionReply } from '../../../src/adapters/slack/delivery/execution-thread.ts';
import { renderHome } from '../../../src/adapters/slack/views/home-view.ts';
import { renderDetailsModal, renderRejectModal } from '../../../src/adapters/slack/views/proposal-modals.ts';
import { renderProposalMessage } from '../../../src/adapters/slack/views/proposal-message.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import type { MetricsReport } from '../../../src/proposals/metrics.ts';
import { makeDraft } from '../../helpers/drafts.ts';

function proposal(overrides: Partial<Proposal> = {}): Proposal {
  const at = '2026-11-24T09:00:00.000Z';
  return {
    ...makeDraft(),
    id: 'prop_0001',
    status: 'pending',
    version: 1,
    createdAt: at,
    updatedAt: at,
    history: [{ version: 1, at, actor: 'system', action: 'created', from: null, to: 'pending' }],
    ...overrides,
  };
}

/** A 100 KB stack trace full of characters that escaping makes longer. */
const stackTrace = Array.from({ length: 1400 }, (_, i) => `    at handler<${i}> (/srv/app/orders&items.ts:${i}:7) => "x"`)
  .join('\n')
  .slice(0, 100_000);
const hugeEvidence = Array.from({ length: 500 }, (_, i) => ({
  label: `sample <${i}> ${'&'.repeat(300)}`,
  value: 'v'.repeat(3000),
  unit: 'ms',
}));

const huge = proposal({
  title: 'T'.repeat(5000),
  summary: stackTrace,
  risk: stackTrace,
  implementationPlan: stackTrace,
  rollbackPlan: stackTrace,
  testPlan: stackTrace,
  evidence: hugeEvidence,
  patch: stackTrace,
  preflight: { passed: false, summary: stackTrace, at: '2026-11-24T09:00:00.000Z' },
});

const metrics = {
  metrics: {
    improvementsProposed: 1,
    improvementsApproved: 0,
    improvementsRejected: 0,
    improvementsImplemented: 0,
    improvementsFailed: 0,
    improvementsRolledBack: 0,
    bugsDetected: 0,
    bugsFixed: 0,
    featuresDiscovered: 0,
    featuresImplemented: 0,
    performanceImprovements: 0,
    testsGenerated: 0,
    docsGenerated: 0,
    executionSuccessRate: null,
  },
  proposals: { total: 1, byStatus: { pending: 1 }, byType: {} },
  recentActivity: [],
  llm: { proposalsWritten: 0, requests: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, costUsd: 0 },
  performanceGains: { totalResponseTimeReduced: 0, optimizedEndpoints: 0, averageReductionPercent: null, measurements: [] },
  outcomes: { improved: 0, noChange: 0, worse: 0, measurements: [] },
} satisfies MetricsReport;

describe('Block Kit output for huge inputs', () => {
  it('keeps the proposal message within every limit for a 100 KB stack trace and 500 evidence items, with visible marks', () => {
    for (const status of ['pending', 'approved', 'rejected', 'failed', 'implemented'] as const) {
      const message = renderProposalMessage({ ...huge, status });
      expect(blockLimitViolations(message.blocks, 'message')).toEqual([]);
      expect(message.text.length).toBeLessThanOrEqual(3000);
      const json = JSON.stringify(message.blocks);
      expect(json).toContain(TRUNCATION_MARK);
      expect(json).toContain('490 more evidence items');
      expect(message.blocks.at(-1)?.type).toBe('actions');
    }
  });

  it('keeps the Details and reject modals, the execution reply, the digest and the App Home within their limits', () => {
    expect(blockLimitViolations(renderDetailsModal(huge).blocks as KnownBlock[], 'view')).toEqual([]);
    expect(
      blockLimitViolations(renderRejectModal(huge, { id: huge.id, version: 1, channel: 'C1' }).blocks as KnownBlock[], 'view'),
    ).toEqual([]);
    const failed = { ...huge, status: 'failed' as const, execution: { error: stackTrace, outputTail: stackTrace, diffstat: stackTrace } };
    expect(blockLimitViolations(renderExecutionReply(failed, 'execution_failed', 'system')!.blocks, 'message')).toEqual([]);
    expect(blockLimitViolations(renderExecutionReply(failed, 'implemented', 'system')!.blocks, 'message')).toEqual([]);
    const many = Array.from({ length: 300 }, (_, i) => ({ ...huge, id: `p${i}`, hasPatch: true }));
    const digest = renderDigest({
      day: '2026-11-24',
      newProposals: many,
      waiting: many,
      implemented: many,
      overdue: many.map((p) => ({ proposal: p, hours: 100 })),
      reminderHours: 48,
      gains: { optimizedEndpoints: 0, totalResponseTimeReduced: 0, averageReductionPercent: null },
    });
    expect(blockLimitViolations(digest.blocks, 'message')).toEqual([]);
    const home = renderHome({
      metrics,
      pending: many,
      canDecide: true,
      schedule: {
        nextRuns: [{ job: 'daily', at: stackTrace }],
        lastRuns: [{ job: 'daily', slot: 'x', startedAt: 'x', finishedAt: 'y', outcome: 'failed', error: stackTrace }],
      },
    });
    expect(blockLimitViolations(home.blocks as KnownBlock[], 'view')).toEqual([]);
  });

  it('keeps any generated proposal within the message limits', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '&', '<', '>', '`', '\u200b', '😀', ' ', '\n', '|'), maxLength: 8000 });
    fc.assert(
      fc.property(
        text,
        text,
        text,
        fc.array(fc.record({ label: text, value: text }), { maxLength: 60 }),
        (title, summary, plan, evidence) => {
          const message = renderProposalMessage(
            proposal({ title, summary, implementationPlan: plan, rollbackPlan: plan, risk: summary, evidence }),
          );
          expect(blockLimitViolations(message.blocks, 'message')).toEqual([]);
          expect(
            blockLimitViolations(
              renderDetailsModal(proposal({ title, summary, implementationPlan: plan, evidence })).blocks as KnownBlock[],
              'view',
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
