import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { createPrometheusMetrics } from '../../../src/adapters/metrics/prometheus-metrics.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { makeStoreDir } from '../../helpers/embedded.ts';

/** The store's figure lines (no comments, no process metrics). */
function storeSamples(exposition: string): string[] {
  return exposition.split('\n').filter((line) => /^improvement_loop_(proposals|executions|llm)/.test(line));
}

describe('Prometheus figures read from the store', () => {
  let store: ProposalStore;
  let dir: Awaited<ReturnType<typeof makeStoreDir>>;
  let storeAnswers = true;

  beforeEach(async () => {
    dir = await makeStoreDir();
    const real = createEmbeddedStore({ file: dir.file });
    // The real store, with its counters going away as a dead Redis would make them.
    store = new Proxy(real, {
      get(target, key, receiver) {
        if (key === 'counters' && !storeAnswers) return async () => Promise.reject(new Error('store unavailable'));
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    storeAnswers = true;
  });
  afterEach(async () => {
    await store.close();
    await dir.remove();
  });

  it('leaves the store figures out while the store does not answer, instead of reporting zeros', async () => {
    const filed = await store.create(makeDraft(), { actor: 'test' });
    await store.transition({ id: filed.id, to: 'rejected', actor: 'test', idempotencyKey: 'reject-1' });
    const metrics = createPrometheusMetrics(store);
    const healthy = await metrics.render();
    expect(healthy).toContain('improvement_loop_store_up 1');
    expect(healthy).toContain('improvement_loop_proposals{status="rejected"} 1');
    expect(healthy).toContain('improvement_loop_llm_cost_usd{kind="total"} 0');

    storeAnswers = false;
    await new Promise((r) => setTimeout(r, 1100)); // past the one-second snapshot shared by a scrape
    const outage = await metrics.render();
    expect(outage).toContain('improvement_loop_store_up 0');
    expect(storeSamples(outage)).toEqual([]);

    storeAnswers = true;
    await new Promise((r) => setTimeout(r, 1100));
    expect(await metrics.render()).toContain('improvement_loop_proposals{status="rejected"} 1');
  });
});

describe('assistant answers in the metrics', () => {
  it('counts each answer by surface and answerer, with its tokens and cost', async () => {
    const dir = await makeStoreDir();
    const store = createEmbeddedStore({ file: dir.file });
    try {
      const metrics = createPrometheusMetrics(store);
      metrics.observeAssistantAnswer({ surface: 'mention', answeredBy: 'claude-sonnet-5-5', seconds: 1.2, tokens: 3400, costUsd: 0.0123 });
      metrics.observeAssistantAnswer({ surface: 'dm', answeredBy: 'claude-sonnet-5-5', seconds: 0.8, tokens: 600, costUsd: 0.002 });
      metrics.observeAssistantAnswer({ surface: 'dm', answeredBy: 'offline', seconds: 0.05, tokens: 0, costUsd: 0 });
      const text = await metrics.render();
      expect(text).toContain('improvement_loop_assistant_tokens_total{answered_by="claude-sonnet-5-5"} 4000');
      expect(text).toMatch(/improvement_loop_assistant_cost_usd_total\{answered_by="claude-sonnet-5-5"\} 0\.0143/);
      expect(text).toContain('improvement_loop_assistant_answer_seconds_count{surface="dm",answered_by="offline"} 1');
      expect(text).not.toContain('improvement_loop_assistant_tokens_total{answered_by="offline"}');
    } finally {
      await store.close();
      await dir.remove();
    }
  });
});
