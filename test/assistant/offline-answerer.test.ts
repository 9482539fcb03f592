import { describe, expect, it } from 'vitest';
import { createOfflineAnswerer } from '../../src/assistant/offline-answerer.ts';
import type { Question } from '../../src/assistant/answer.ts';
import { useEmbeddedStore } from '../helpers/embedded.ts';
import { makeDraft } from '../helpers/drafts.ts';
import { sourcesOver } from './assistant-fixtures.ts';

const ask = (text: string, extra: Partial<Question> = {}): Question => ({ text, userId: 'UASKER1', teamId: 'T111', ...extra });

describe('the offline answerer', () => {
  const db = useEmbeddedStore();

  it('answers "slowest endpoints yesterday" from the warehouse, slowest first, with the window cited', async () => {
    const answer = await createOfflineAnswerer(sourcesOver(db.store)).answer(ask('slowest endpoints yesterday'));
    expect(answer.answeredBy).toBe('offline');
    expect(answer.tables[0]!.rows[0]![0]).toBe('POST /api/checkout');
    expect(Number(answer.tables[0]!.rows[0]![3])).toBeGreaterThan(2000);
    expect(answer.citations[0]).toMatchObject({
      kind: 'telemetry',
      table: 'performance.api_metrics',
      window: { from: '2026-11-25T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z' },
      endpoint: 'POST /api/checkout',
      counts: '24 calls',
    });
  });

  it('compares an endpoint with the window before it ("why did checkout get slower yesterday?")', async () => {
    const answer = await createOfflineAnswerer(sourcesOver(db.store)).answer(ask('why did checkout get slower yesterday?'));
    const row = answer.tables[0]!.rows;
    expect(row).toHaveLength(1);
    expect(row[0]![0]).toBe('POST /api/checkout');
    expect(Number(row[0]![5])).toBeLessThan(1000);
  });

  it('answers "new errors since Tuesday" with the mined template and where it is thrown', async () => {
    const answer = await createOfflineAnswerer(sourcesOver(db.store)).answer(ask("which errors started after Tuesday's deploy?"));
    expect(answer.tables[0]!.rows).toHaveLength(1);
    expect(String(answer.tables[0]!.rows[0]![0])).toContain("Cannot read properties of undefined (reading 'total')");
    expect(answer.tables[0]!.rows[0]![1]).toBe(12);
    expect(answer.tables[0]!.rows[0]![2]).toBe('new');
    expect(answer.citations[0]).toMatchObject({ table: 'logs.error_logs', window: { from: '2026-11-24T00:00:00.000Z' } });
  });

  it('answers "errors since <date>" with nothing when the window holds none, and says so', async () => {
    const answer = await createOfflineAnswerer(sourcesOver(db.store)).answer(ask('errors since 2026-11-26'));
    expect(answer.text).toContain('No error group');
    expect(answer.tables).toHaveLength(0);
  });

  it('answers "top feature requests" for one plan', async () => {
    const answer = await createOfflineAnswerer(sourcesOver(db.store)).answer(ask('top feature requests from enterprise customers'));
    expect(answer.tables[0]!.rows.length).toBeGreaterThan(0);
    for (const row of answer.tables[0]!.rows) expect(String(row[4])).toContain('enterprise');
  });

  it('shows a proposal with its history and cites it with its link', async () => {
    const proposal = await db.store.create(makeDraft(), { actor: 'system' });
    const answer = await createOfflineAnswerer(sourcesOver(db.store)).answer(ask(`proposal ${proposal.id}`));
    expect(answer.text).toContain(proposal.title);
    expect(answer.text).toContain('system: created → pending');
    expect(answer.citations).toEqual([
      {
        kind: 'proposal',
        proposalId: proposal.id,
        title: proposal.title,
        version: 1,
        link: `https://loop.example.com/proposals/${proposal.id}`,
      },
    ]);
  });

  it('answers a request to approve with the proposal’s buttons and changes nothing', async () => {
    const proposal = await db.store.create(makeDraft(), { actor: 'system' });
    const answer = await createOfflineAnswerer(sourcesOver(db.store)).answer(ask(`approve ${proposal.id}`));
    expect(answer.actionsFor).toEqual([proposal.id]);
    expect((await db.store.get(proposal.id))!.status).toBe('pending');
    expect((await db.store.get(proposal.id))!.version).toBe(1);
  });

  it('takes the proposal of the thread when the question names none', async () => {
    const proposal = await db.store.create(makeDraft({ patch: 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n' }), {
      actor: 'system',
    });
    const answer = await createOfflineAnswerer(sourcesOver(db.store)).answer(
      ask('what would the patch change?', { proposalId: proposal.id }),
    );
    expect(answer.text).toContain('has a patch touching 1 file(s)');
    expect(answer.text).toContain('+b');
  });

  it('says plainly what it can answer when it does not recognize the question', async () => {
    const answer = await createOfflineAnswerer(sourcesOver(db.store)).answer(
      ask('write me a poem about latency budgets in autumn'.replace('latency ', '')),
    );
    expect(answer.text).toContain('I did not recognize that question.');
    expect(answer.text).toContain('no language model is configured');
    expect(answer.text).toContain('slowest endpoints');
  });

  it('refuses an unknown proposal id with a clear message', async () => {
    const answer = await createOfflineAnswerer(sourcesOver(db.store)).answer(ask('proposal performance-20261124-0000000000'));
    expect(answer.text).toBe('I could not answer that: no proposal with id performance-20261124-0000000000.');
  });
});
