import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDraft } from '../../helpers/drafts.ts';
import { walkingExecutor } from '../../helpers/walking-executor.ts';
import { startApi, type ApiHarness } from './api-harness.ts';

describe('deciding on proposals over the API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  const file = (overrides = {}) => api.store.create(makeDraft(overrides), { actor: 'test' });
  const route = (id: string, action: string) => `/api/improvements/proposals/${id}/${action}`;

  it('approves a pending proposal, binding the patch hash and the autoExecute flag', async () => {
    const p = await file({ patch: 'diff --git a/x b/x\n' });
    const res = await api.call('POST', route(p.id, 'approve'), { body: { autoExecute: false } });
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('applied');
    expect(res.body.proposal).toMatchObject({ id: p.id, status: 'approved', version: 2, autoExecute: false });
    expect(res.body.proposal.approvedPatchHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('approves with no body at all', async () => {
    const p = await file();
    const res = await api.call('POST', route(p.id, 'approve'));
    expect(res.status).toBe(200);
    expect(res.body.proposal.status).toBe('approved');
  });

  it('rejects with a reason and records it in history', async () => {
    const p = await file();
    const res = await api.call('POST', route(p.id, 'reject'), { body: { reason: '  duplicate of another change  ' } });
    expect(res.status).toBe(200);
    expect(res.body.proposal.status).toBe('rejected');
    expect(res.body.proposal.history.at(-1)).toMatchObject({ action: 'rejected', reason: 'duplicate of another change' });
  });

  it('answers 400 for a missing, empty or blank reject reason and leaves the proposal pending', async () => {
    const p = await file();
    for (const body of [undefined, {}, { reason: '' }, { reason: '   ' }, { reason: 42 }, { reason: 'x'.repeat(2001) }]) {
      const res = await api.call('POST', route(p.id, 'reject'), body === undefined ? {} : { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe('bad_request');
    }
    expect((await api.store.get(p.id))?.version).toBe(1);
  });

  it('answers 400 for malformed JSON, a non-object body and wrong field types', async () => {
    const p = await file();
    const cases: [string, string][] = [
      ['approve', '{"autoExecute": tru'],
      ['approve', '"just a string"'],
      ['approve', '[]'],
      ['approve', '{"autoExecute": "yes"}'],
      ['approve', '{"expectedVersion": "1"}'],
      ['approve', '{"expectedVersion": 1.5}'],
      ['reject', '{"reason": ["a"]}'],
      ['reject', '{"reason": null}'],
      ['execute', '{"expectedVersion": -3}'],
    ];
    for (const [action, text] of cases) {
      const res = await api.call('POST', route(p.id, action), { body: text });
      expect(res.status, `${action} ${text}`).toBe(400);
      expect(res.body, `${action} ${text}`).toEqual({ error: 'bad_request', message: expect.any(String) });
    }
    expect((await api.store.get(p.id))?.version).toBe(1);
  });

  it('answers 400 for a decision on an id that is not an id, and 404 for an unknown one', async () => {
    expect((await api.call('POST', route('Not-An-Id', 'approve'), { body: {} })).status).toBe(400);
    const missing = await api.call('POST', route('feature-20260101-abcdef0123', 'approve'), { body: {} });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not_found');
  });

  it('answers 409 illegal_transition when approving a rejected proposal, and changes nothing', async () => {
    const p = await file();
    await api.call('POST', route(p.id, 'reject'), { body: { reason: 'no' } });
    const res = await api.call('POST', route(p.id, 'approve'), { body: {} });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('illegal_transition');
    const stored = await api.store.get(p.id);
    expect(stored).toMatchObject({ status: 'rejected', version: 2 });
  });

  it('answers 409 conflict when the expected version is stale', async () => {
    const p = await file();
    const res = await api.call('POST', route(p.id, 'approve'), { body: { expectedVersion: 7 } });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('conflict');
    const ok = await api.call('POST', route(p.id, 'approve'), { body: { expectedVersion: 1 } });
    expect(ok.status).toBe(200);
  });

  it('gives exactly one 200 when 30 approve and reject requests race for one proposal', async () => {
    const p = await file();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2 === 0
          ? api.call('POST', route(p.id, 'approve'), { body: {} })
          : api.call('POST', route(p.id, 'reject'), { body: { reason: `racer ${i}` } }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(29);
    const stored = await api.store.get(p.id);
    expect(stored?.version).toBe(2);
    expect(stored?.history).toHaveLength(2);
  });

  it('applies a request once when the same Idempotency-Key is sent twice', async () => {
    const p = await file();
    const headers = { 'idempotency-key': 'client-retry-8f2c' };
    const first = await api.call('POST', route(p.id, 'approve'), { body: {}, headers });
    const second = await api.call('POST', route(p.id, 'approve'), { body: {}, headers });
    expect(first.status).toBe(200);
    expect(first.body.outcome).toBe('applied');
    expect(second.status).toBe(200);
    expect(second.body.outcome).toBe('duplicate');
    const stored = await api.store.get(p.id);
    expect(stored?.history.filter((h) => h.action === 'approved')).toHaveLength(1);
    expect(stored?.version).toBe(2);
  });

  it("does not let one proposal's Idempotency-Key swallow a decision on another", async () => {
    const a = await file();
    const b = await file();
    const headers = { 'idempotency-key': 'same-key' };
    expect((await api.call('POST', route(a.id, 'approve'), { body: {}, headers })).body.outcome).toBe('applied');
    const other = await api.call('POST', route(b.id, 'approve'), { body: {}, headers });
    expect(other.body.outcome).toBe('applied');
    expect((await api.store.get(b.id))?.status).toBe('approved');
  });

  it('answers 400 for an Idempotency-Key that is too long or not printable', async () => {
    const p = await file();
    for (const key of ['k'.repeat(201), 'caf\u00e9']) {
      const res = await api.call('POST', route(p.id, 'approve'), { body: {}, headers: { 'idempotency-key': key } });
      expect(res.status).toBe(400);
    }
    expect((await api.store.get(p.id))?.version).toBe(1);
  });

  it('answers 503 executor_unavailable for execute without an executor, and changes nothing', async () => {
    const p = await file();
    await api.call('POST', route(p.id, 'approve'), { body: {} });
    const before = await api.store.get(p.id);
    const res = await api.call('POST', route(p.id, 'execute'), { body: {} });
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('executor_unavailable');
    expect(await api.store.get(p.id)).toEqual(before);
  });

  it('answers 409 for execute on a proposal nobody approved', async () => {
    const p = await file();
    const res = await api.call('POST', route(p.id, 'execute'), { body: {} });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('illegal_transition');
  });
});

describe('executing and rolling back over the API', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    // Executions that take 2.5 s: longer than the route waits before answering.
    api = await startApi({ executor: (store) => walkingExecutor(store, { delayMs: 2500 }) });
  });
  afterAll(async () => {
    await api.close();
  });
  const route = (id: string, action: string) => `/api/improvements/proposals/${id}/${action}`;

  it('answers 202 with the proposal executing when the execution takes longer than the request should, and finishes it anyway', async () => {
    const p = await api.store.create(makeDraft(), { actor: 'test' });
    await api.call('POST', route(p.id, 'approve'), { body: {} });
    const res = await api.call('POST', route(p.id, 'execute'), { body: {} });
    expect(res.status).toBe(202);
    expect(res.body.proposal.status).toBe('executing');
    for (let i = 0; i < 60 && (await api.store.get(p.id))?.status === 'executing'; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await api.store.get(p.id))?.status).toBe('implemented');
  });

  it('rolls an implemented proposal back with a reason, and refuses without one or from another status', async () => {
    const p = await api.store.create(makeDraft(), { actor: 'test' });
    expect((await api.call('POST', route(p.id, 'rollback'), { body: { reason: 'too early' } })).body.error).toBe('illegal_transition');
    await api.call('POST', route(p.id, 'approve'), { body: {} });
    await api.call('POST', route(p.id, 'execute'), { body: {} });
    for (let i = 0; i < 60 && (await api.store.get(p.id))?.status !== 'implemented'; i++) await new Promise((r) => setTimeout(r, 100));
    const missing = await api.call('POST', route(p.id, 'rollback'), { body: {} });
    expect(missing.status).toBe(400);
    const res = await api.call('POST', route(p.id, 'rollback'), { body: { reason: 'p95 got worse after deploy' } });
    expect(res.status).toBe(200);
    expect(res.body.proposal.status).toBe('rolled_back');
    expect(res.body.proposal.history.at(-1)).toMatchObject({ action: 'rolled_back', reason: 'p95 got worse after deploy' });
  });
});
