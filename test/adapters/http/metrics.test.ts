import { afterEach, describe, expect, it } from 'vitest';
import { PROPOSAL_TYPES, STATUSES, type Proposal } from '../../../src/domain/proposal.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { startApi, type ApiHarness } from './api-harness.ts';

/** The metrics a reader would compute by hand from the stored proposals and their histories. */
function expectedFromRecords(records: Proposal[]) {
  const entered = (p: Proposal, to: string) => p.history.some((h) => h.to === to && h.from !== h.to);
  const count = (predicate: (p: Proposal) => boolean) => records.filter(predicate).length;
  const implemented = count((p) => entered(p, 'implemented'));
  const failed = count((p) => entered(p, 'failed'));
  return {
    metrics: {
      improvementsProposed: records.length,
      improvementsApproved: count((p) => p.history.some((h) => h.from === 'pending' && h.to === 'approved')),
      improvementsRejected: count((p) => entered(p, 'rejected')),
      improvementsImplemented: implemented,
      improvementsFailed: failed,
      improvementsRolledBack: count((p) => entered(p, 'rolled_back')),
      bugsDetected: count((p) => p.type === 'bug_fix'),
      bugsFixed: count((p) => p.type === 'bug_fix' && entered(p, 'implemented')),
      featuresDiscovered: count((p) => p.type === 'feature'),
      featuresImplemented: count((p) => p.type === 'feature' && entered(p, 'implemented')),
      performanceImprovements: count((p) => p.type === 'performance' && entered(p, 'implemented')),
      testsGenerated: count((p) => p.category === 'tests' && entered(p, 'implemented')),
      docsGenerated: count((p) => p.category === 'docs' && entered(p, 'implemented')),
      executionSuccessRate: implemented + failed > 0 ? implemented / (implemented + failed) : null,
    },
    proposals: {
      total: records.length,
      byStatus: Object.fromEntries(STATUSES.map((s) => [s, count((p) => p.status === s)])),
      byType: Object.fromEntries(PROPOSAL_TYPES.map((t) => [t, count((p) => p.type === t)])),
    },
  };
}

describe('the metrics route', () => {
  let api: ApiHarness;
  afterEach(async () => {
    await api.close();
  });

  it('answers zeros and a null success rate before anything was filed', async () => {
    api = await startApi();
    const res = await api.call('GET', '/api/improvements/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(expectedFromRecords([]));
    expect(res.body.recentActivity).toEqual([]);
    expect(res.body.performanceGains).toEqual({
      totalResponseTimeReduced: 0,
      optimizedEndpoints: 0,
      averageReductionPercent: null,
      measurements: [],
    });
  });

  it('reports exactly what the stored records say after a known set of decisions', async () => {
    api = await startApi();
    const file = (overrides: Parameters<typeof makeDraft>[0]) => api.store.create(makeDraft(overrides), { actor: 'test' });
    const bugs = [await file({ type: 'bug_fix', priority: 'low' }), await file({ type: 'bug_fix' }), await file({ type: 'bug_fix' })];
    const features = [await file({ type: 'feature' }), await file({ type: 'feature' })];
    const perf = [await file({ type: 'performance' }), await file({ type: 'performance' }), await file({ type: 'performance' })];
    const quality = [await file({ type: 'code_quality', category: 'tests' }), await file({ type: 'code_quality', category: 'docs' })];
    const learning = [await file({ type: 'learning' })];
    const all = [...bugs, ...features, ...perf, ...quality, ...learning];

    const decide = async (id: string, action: 'approve' | 'reject') => {
      const res = await api.call('POST', `/api/improvements/proposals/${id}/${action}`, {
        body: action === 'reject' ? { reason: 'not worth it' } : {},
      });
      expect(res.status).toBe(200);
    };
    for (const p of [bugs[0]!, bugs[1]!, perf[0]!, quality[0]!, quality[1]!, features[0]!]) await decide(p.id, 'approve');
    for (const p of [bugs[2]!, features[1]!, perf[1]!]) await decide(p.id, 'reject');
    // No executor is wired in the API under test: walk executions through the store, as an executor would.
    const walk = async (id: string, ...to: ('executing' | 'implemented' | 'failed')[]) => {
      for (const status of to) await api.store.transition({ id, to: status, actor: 'executor', idempotencyKey: `${id}:${status}` });
    };
    await walk(bugs[0]!.id, 'executing', 'implemented');
    await walk(perf[0]!.id, 'executing', 'implemented');
    await walk(quality[0]!.id, 'executing', 'implemented');
    await walk(quality[1]!.id, 'executing', 'failed');
    // A retry after failure is not a second approval.
    await decide(quality[1]!.id, 'approve');
    await api.store.recordGain({
      proposalId: perf[0]!.id,
      endpoint: '/api/orders/:id',
      beforeMs: 2840,
      afterMs: 710,
      measuredAt: new Date().toISOString(),
    });

    const res = await api.call('GET', '/api/improvements/metrics');
    expect(res.status).toBe(200);
    const records = (await Promise.all(all.map((p) => api.store.get(p.id)))) as Proposal[];
    const expected = expectedFromRecords(records);
    expect(res.body.metrics).toEqual(expected.metrics);
    expect(res.body.proposals).toEqual(expected.proposals);
    // The hand-counted figures, so a mistake in both the reader and the store cannot cancel out.
    expect(res.body.metrics).toMatchObject({
      improvementsProposed: 11,
      improvementsApproved: 6,
      improvementsRejected: 3,
      improvementsImplemented: 3,
      improvementsFailed: 1,
      bugsDetected: 3,
      bugsFixed: 1,
      featuresDiscovered: 2,
      featuresImplemented: 0,
      performanceImprovements: 1,
      testsGenerated: 1,
      docsGenerated: 0,
      executionSuccessRate: 0.75,
    });
    expect(res.body.proposals.byStatus).toMatchObject({ pending: 2, approved: 3, rejected: 3, implemented: 3, failed: 0, executing: 0 });

    // Recent activity: newest first, each entry one stored history entry.
    const history = records.flatMap((p) => p.history.map((h) => ({ ...h, proposalId: p.id })));
    expect(res.body.recentActivity).toHaveLength(Math.min(20, history.length));
    for (const entry of res.body.recentActivity) {
      expect(history).toContainEqual(
        expect.objectContaining({ proposalId: entry.proposalId, version: entry.version, action: entry.action, actor: entry.actor }),
      );
    }
    const times = res.body.recentActivity.map((e: { at: string }) => e.at);
    expect(times).toEqual([...times].sort().reverse());

    expect(res.body.performanceGains).toMatchObject({ totalResponseTimeReduced: 2130, optimizedEndpoints: 1, averageReductionPercent: 75 });
  });
});
