import { afterEach, describe, expect, it } from 'vitest';
import { plantCheckoutTeam } from '../../helpers/decision-history.ts';
import { startApi, type ApiHarness } from './api-harness.ts';

describe('the ranking route', () => {
  let api: ApiHarness;
  afterEach(async () => {
    await api.close();
  });

  it('orders the pending proposals by a model of the stored decisions and says why, once there are enough', async () => {
    api = await startApi();
    const planted = await plantCheckoutTeam(api.store);
    const res = await api.call('GET', '/api/improvements/ranking');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ method: 'learned', decisions: 40 });
    expect(res.body.basis).toMatch(/^learned from 40 decisions \(20 approved, 20 rejected\)/);
    expect(res.body.ranked.map((r: { proposal: { id: string } }) => r.proposal.id)).toEqual([planted.lowCheckoutBug, planted.criticalDocs]);
    expect(res.body.ranked[0]).toMatchObject({ position: 1, why: expect.stringMatching(/likely approved/) });
  });

  it('uses the fixed rule on an empty history, and needs the token like every API route', async () => {
    api = await startApi();
    const res = await api.call('GET', '/api/improvements/ranking');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ method: 'rule', ranked: [] });
    expect(res.body.basis).toMatch(/0 decisions/);
    expect((await api.call('GET', '/api/improvements/ranking', { token: null })).status).toBe(401);
  });
});
