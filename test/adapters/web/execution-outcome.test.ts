import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../../src/ports/executor.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { formFields, PlainClient, startDashboard, TOKEN, type DashboardHarness } from './dashboard-harness.ts';

/** Walks approved → executing → failed the way the git executor does when a change's tests fail. */
function failingExecutor(store: () => ProposalStore): Executor {
  return {
    async execute(p, request) {
      const started = await store().transition({
        id: p.id,
        to: 'executing',
        actor: request.actor,
        idempotencyKey: `${request.idempotencyKey}:start`,
        expectedStatus: 'approved',
      });
      return (
        await store().transition({
          id: p.id,
          to: 'failed',
          actor: 'executor',
          idempotencyKey: `${request.idempotencyKey}:done`,
          expectedVersion: started.proposal.version,
          reason: 'tests failed (exit 1)',
          changes: { execution: { error: 'tests failed (exit 1)', outputTail: 'AssertionError' } },
        })
      ).proposal;
    },
    async rollback() {
      throw new Error('not in this test');
    },
  };
}

describe('a failed execution on the dashboard', () => {
  let dash: DashboardHarness;
  let client: PlainClient;
  beforeAll(async () => {
    let store: ProposalStore | undefined;
    dash = await startDashboard({ executor: failingExecutor(() => store!) });
    store = dash.store;
    client = new PlainClient(dash.url);
    await client.signIn(TOKEN);
  });
  afterAll(async () => {
    await dash.close();
  });

  it('is told as a failure in a red box, with its error, never as a finished execution', async () => {
    const patch = 'diff --git a/src/a.js b/src/a.js\n--- a/src/a.js\n+++ b/src/a.js\n@@ -1 +1,2 @@\n+// why\n a();\n';
    const filed = await dash.store.create(makeDraft({ patch }), { actor: 'test' });
    await dash.store.transition({ id: filed.id, to: 'approved', actor: 'test', idempotencyKey: `a-${filed.id}` });
    const page = (await client.get(`/proposals/${filed.id}`)).text;
    const sent = await client.post(`/proposals/${filed.id}/execute`, formFields(page, 'execute'));
    expect(sent.location).toBe(`/proposals/${filed.id}?flash=executed`);
    const after = (await client.get(sent.location!)).text;
    expect(after).toMatch(/<p class="flash error" role="status">Execution failed: tests failed \(exit 1\)/);
    expect(after).not.toMatch(/class="flash ok"/);
    expect(after).toContain('<h2>Execution failed</h2>');
  });
});
