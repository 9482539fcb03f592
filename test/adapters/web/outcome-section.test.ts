import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDraft } from '../../helpers/drafts.ts';
import { PlainClient, startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

describe('the proposal page says whether the change helped', () => {
  let dash: DashboardHarness;
  let client: PlainClient;
  beforeAll(async () => {
    dash = await startDashboard();
    client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
  });
  afterAll(async () => {
    await dash?.close();
  });

  it('shows the recorded verdict with its measurement, and nothing before one is recorded', async () => {
    const measured = await dash.store.create(makeDraft({ type: 'performance' }), { actor: 'cycle' });
    const waiting = await dash.store.create(makeDraft({ type: 'performance' }), { actor: 'cycle' });
    await dash.store.recordOutcome({
      proposalId: measured.id,
      type: 'performance',
      measure: 'hourly p95 of GET /api/orders/:id',
      changedAt: '2026-01-15T00:00:00.000Z',
      marker: 'deployed',
      markedBy: 'deploy ci-812 to production, the first after the merge, reported to the API',
      windowDays: 7,
      before: 2840,
      after: 1210,
      unit: 'ms (median hourly p95)',
      test: 'mann-whitney',
      effect: { kind: 'ratio', estimate: 0.43, low: 0.39, high: 0.47 },
      pValue: 0.0004,
      verdict: 'improved',
      measuredAt: '2026-01-23T00:00:00.000Z',
    });
    const page = await client.get(`/proposals/${measured.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Did it help?');
    expect(page.text).toMatch(
      /<strong>Improved<\/strong>: hourly p95 of GET \/api\/orders\/:id 2840 → 1210 ms \(×0\.43, 95% CI ×0\.39–×0\.47, p &lt; 0\.001/,
    );
    expect(page.text).toMatch(
      /mann-whitney test over 7 days on each side of the change \(deployed .*: deploy ci-812 to production, the first after the merge, reported to the API\)/,
    );
    expect((await client.get(`/proposals/${waiting.id}`)).text).not.toContain('Did it help?');
  });
});
