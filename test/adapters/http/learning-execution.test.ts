import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/domain/finding.ts';
import type { Analyzer } from '../../../src/ports/analyzer.ts';
import { startApi, type ApiHarness } from './api-harness.ts';

/** A knowledge gap as the learning analyzer reports it, with the answer that worked for its topic. */
const refundGap: Finding = {
  analyzer: 'learning',
  type: 'learning',
  fingerprint: 'learning:gap:5c1f0a2b3d4e',
  title: 'Knowledge gap: annual plan (92% of answers unsure)',
  summary: '120 interactions asked about “annual plan”; 110 answers admitted not knowing.',
  evidence: [{ label: 'interactions', value: 120 }],
  priority: 'high',
  magnitude: 120,
  knowledge: {
    category: 'annual-refund',
    key: '5c1f0a2b3d4e',
    content: { topic: 'annual plan', question: 'Can I get a refund on my annual plan?', answer: 'Annual plans are refunded pro rata.' },
  },
};

/** A failure mode with no answer that ever worked: nothing to publish. */
const humanFailure: Finding = {
  analyzer: 'learning',
  type: 'learning',
  fingerprint: 'learning:failure:9d8c7b6a5f4e',
  title: 'Failure mode: talk to a human (100% go badly)',
  summary: '40 interactions asked about “talk to a human”.',
  evidence: [{ label: 'interactions', value: 40 }],
  priority: 'medium',
  magnitude: 40,
};

const learning: Analyzer = { name: 'learning', cycles: ['daily'], analyze: async () => [refundGap, humanFailure] };

describe('executing a learning proposal over the API, with no executor configured', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ analyzers: [learning] });
  });
  afterAll(async () => {
    await api.close();
  });
  const route = (id: string, action: string) => `/api/improvements/proposals/${id}/${action}`;
  const filed = async (fingerprint: string) => (await api.store.findByFingerprint(fingerprint))!;

  it('publishes the knowledge entry the cycle filed with the proposal, and rollback withdraws it', async () => {
    const cycle = await api.call('POST', '/api/improvements/analyze', { body: { type: 'daily' } });
    expect(cycle.status).toBe(200);
    const gap = await filed(refundGap.fingerprint);
    expect(gap.knowledge).toEqual(refundGap.knowledge);
    expect(await api.store.getKnowledge('annual-refund', '5c1f0a2b3d4e')).toBeNull();

    await api.call('POST', route(gap.id, 'approve'), { body: {} });
    const executed = await api.call('POST', route(gap.id, 'execute'), { body: {} });
    expect(executed.status).toBe(200);
    expect(executed.body.proposal).toMatchObject({
      status: 'implemented',
      execution: { published: { category: 'annual-refund', key: '5c1f0a2b3d4e' } },
    });
    expect(executed.body.proposal.execution.branch).toBeUndefined();
    expect(executed.body.proposal.history.at(-1)).toMatchObject({
      to: 'implemented',
      reason: expect.stringMatching(/published knowledge:annual-refund:5c1f0a2b3d4e/),
    });
    const entry = await api.store.getKnowledge('annual-refund', '5c1f0a2b3d4e');
    expect(entry?.content).toMatchObject({ answer: 'Annual plans are refunded pro rata.', proposalId: gap.id });
    expect((await api.store.listKnowledge('annual-refund', 10)).map((k) => k.key)).toEqual(['5c1f0a2b3d4e']);

    const rolledBack = await api.call('POST', route(gap.id, 'rollback'), { body: { reason: 'the answer is wrong for monthly plans' } });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body.proposal.status).toBe('rolled_back');
    expect(rolledBack.body.proposal.history.at(-1).reason).toMatch(/withdrew knowledge:annual-refund:5c1f0a2b3d4e/);
    expect(await api.store.getKnowledge('annual-refund', '5c1f0a2b3d4e')).toBeNull();
    expect(await api.store.listKnowledge(undefined, 10)).toEqual([]);
  });

  it('leaves an entry another proposal or cycle wrote since in place on rollback', async () => {
    const p = await api.store.create(
      {
        type: 'learning',
        title: 'Knowledge gap: invoices',
        summary: 'Asked often.',
        evidence: [],
        priority: 'low',
        risk: 'Low',
        implementationPlan: 'Publish the answer.',
        rollbackPlan: 'Withdraw it.',
        testPlan: 'Ask again.',
        fingerprint: 'learning:gap:invoices',
        knowledge: { category: 'invoices', key: 'copy', content: { answer: 'Settings → Billing' } },
      },
      { actor: 'test' },
    );
    await api.call('POST', route(p.id, 'approve'), { body: {} });
    await api.call('POST', route(p.id, 'execute'), { body: {} });
    const newer = { category: 'invoices', key: 'copy', content: { answer: 'Billing → Invoices' }, createdAt: new Date().toISOString() };
    await api.store.putKnowledge(newer);
    const res = await api.call('POST', route(p.id, 'rollback'), { body: { reason: 'superseded' } });
    expect(res.body.proposal.status).toBe('rolled_back');
    expect(res.body.proposal.history.at(-1).reason).toMatch(/replaced since and stays/);
    expect((await api.store.getKnowledge('invoices', 'copy'))?.content).toEqual(newer.content);
  });

  it('refuses to execute a learning proposal with nothing to publish, saying why, and changes nothing', async () => {
    const failure = await filed(humanFailure.fingerprint);
    expect(failure.knowledge).toBeUndefined();
    await api.call('POST', route(failure.id, 'approve'), { body: {} });
    const before = await api.store.get(failure.id);
    const res = await api.call('POST', route(failure.id, 'execute'), { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/no knowledge entry to publish/);
    expect(await api.store.get(failure.id)).toEqual(before);
  });

  it('publishes once: a second execute is refused as for any implemented proposal', async () => {
    const p = await api.store.create(
      {
        type: 'learning',
        title: 'Knowledge gap: card',
        summary: 'Asked often.',
        evidence: [],
        priority: 'low',
        risk: 'Low',
        implementationPlan: 'Publish the answer.',
        rollbackPlan: 'Withdraw it.',
        testPlan: 'Ask again.',
        fingerprint: 'learning:gap:card',
        knowledge: { category: 'card', key: 'update', content: { answer: 'Replace card' } },
      },
      { actor: 'test' },
    );
    await api.call('POST', route(p.id, 'approve'), { body: {} });
    const headers = { 'Idempotency-Key': 'learning-execute-once' };
    const first = await api.call('POST', route(p.id, 'execute'), { body: {}, headers });
    expect(first.body.proposal.status).toBe('implemented');
    const published = await api.store.getKnowledge('card', 'update');
    const second = await api.call('POST', route(p.id, 'execute'), { body: {}, headers });
    expect(second.status).toBe(409);
    expect(await api.store.getKnowledge('card', 'update')).toEqual(published);
    expect((await api.store.get(p.id))?.version).toBe(first.body.proposal.version);
  });
});
