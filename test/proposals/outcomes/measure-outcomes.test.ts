import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/analyzers/performance/seeded-random.ts';
import type { ChangeOutcome } from '../../../src/domain/outcome.ts';
import type { Proposal, ProposalDraft } from '../../../src/domain/proposal.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { describeOutcome, measureOutcomes } from '../../../src/proposals/outcomes/measure-outcomes.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { makeStoreDir } from '../../helpers/embedded.ts';
import { createMemoryWarehouse, type ErrorLogRow, type MetricRow } from '../../helpers/memory-warehouse.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHANGED = new Date('2026-01-15T00:00:00Z');
const NOW = new Date(CHANGED.getTime() + 8 * DAY);

/** 14 days of hourly traffic around the change, 20 calls an hour with a day/night swing and noise; `factor` applies after it. */
function traffic(endpoint: string, factor: number, seed: number): MetricRow[] {
  const random = seededRandom(seed);
  const rows: MetricRow[] = [];
  for (let t = CHANGED.getTime() - 7 * DAY; t < CHANGED.getTime() + 7 * DAY; t += HOUR) {
    const daily = 1 + 0.3 * Math.sin((2 * Math.PI * (t % DAY)) / DAY);
    for (let i = 0; i < 20; i += 1) {
      const base = 400 * daily * Math.exp(0.35 * (random() + random() + random() - 1.5));
      rows.push({ endpoint, responseTimeMs: t >= CHANGED.getTime() ? base * factor : base, timestamp: new Date(t + i * 1000) });
    }
  }
  return rows;
}

/** `before` and `after` occurrences of a message shape over the two weeks, spread evenly. */
function errors(shape: (i: number) => string, before: number, after: number): ErrorLogRow[] {
  const spread = (n: number, from: number) =>
    Array.from({ length: n }, (_, i) => ({ message: shape(i), timestamp: new Date(from + ((i + 0.5) * 7 * DAY) / n) }));
  return [...spread(before, CHANGED.getTime() - 7 * DAY), ...spread(after, CHANGED.getTime())];
}

async function implemented(dir: string, drafts: ProposalDraft[]): Promise<Proposal[]> {
  const store = createEmbeddedStore({ file: dir, now: () => CHANGED });
  try {
    const filed: Proposal[] = [];
    for (const draft of drafts) {
      const p = await store.create(draft, { actor: 'cycle' });
      for (const to of ['approved', 'executing', 'implemented'] as const)
        await store.transition({ id: p.id, to, actor: 'u', idempotencyKey: `${p.id}-${to}` });
      filed.push(p);
    }
    return filed;
  } finally {
    await store.close();
  }
}

describe('did a change help: before/after with statistics', () => {
  it('finds a planted effect, finds none where there is none, and flags a change that made things worse', async () => {
    const dir = await makeStoreDir();
    const price = (i: number) => `TypeError: Cannot read properties of undefined (reading 'price') for order ${1000 + i}`;
    const stock = (i: number) => `RangeError: stock level ${i % 50} out of range for SKU-${200 + i}`;
    const warehouse = createMemoryWarehouse({
      metrics: [...traffic('GET /api/fast', 0.5, 1), ...traffic('GET /api/same', 1, 2), ...traffic('GET /api/slow', 1.4, 3)],
      errors: [...errors(price, 300, 12), ...errors(stock, 150, 160)],
    });
    const [fast, same, slow, priceFix, stockFix] = await implemented(dir.file, [
      makeDraft({ type: 'performance', subject: { endpoint: 'GET /api/fast' } }),
      makeDraft({ type: 'performance', subject: { endpoint: 'GET /api/same' } }),
      makeDraft({ type: 'performance', subject: { endpoint: 'GET /api/slow' } }),
      makeDraft({ type: 'bug_fix', evidence: [{ label: 'example', value: price(7) }] }),
      makeDraft({ type: 'bug_fix', evidence: [{ label: 'example', value: stock(3) }] }),
    ]);
    const store = createEmbeddedStore({ file: dir.file });
    const worse: [string, ChangeOutcome][] = [];
    try {
      const early = await measureOutcomes({ store, warehouse, now: new Date(CHANGED.getTime() + 2 * DAY) });
      expect(early.map((m) => m.state)).toEqual(['waiting', 'waiting', 'waiting', 'waiting', 'waiting']);
      expect(await store.listOutcomes()).toEqual([]);

      const results = await measureOutcomes({
        store,
        warehouse,
        now: NOW,
        onMeasured: async (p, o) => void (o.verdict === 'worse' && worse.push([p.id, o])),
      });
      const verdict = new Map(results.map((r) => [r.proposalId, r.outcome]));
      expect(verdict.get(fast!.id)).toMatchObject({ verdict: 'improved', test: 'mann-whitney', marker: 'implemented', windowDays: 7 });
      expect(verdict.get(fast!.id)!.effect.estimate).toBeCloseTo(0.5, 1);
      expect(verdict.get(fast!.id)!.effect.low).toBeLessThan(0.5);
      expect(verdict.get(fast!.id)!.effect.high).toBeGreaterThan(0.5);
      expect(verdict.get(same!.id)).toMatchObject({ verdict: 'no change' });
      expect(verdict.get(same!.id)!.pValue).toBeGreaterThan(0.05);
      expect(verdict.get(slow!.id)).toMatchObject({ verdict: 'worse' });
      expect(verdict.get(priceFix!.id)).toMatchObject({ verdict: 'improved', test: 'poisson-rate', before: 300, after: 12 });
      expect(verdict.get(stockFix!.id)).toMatchObject({ verdict: 'no change', before: 150, after: 160 });
      expect(worse.map(([id]) => id)).toEqual([slow!.id]);
      expect(describeOutcome(verdict.get(priceFix!.id)!)).toMatch(
        /^improved: occurrences of the error group ".*price.*" 300 → 12 occurrences \(×0\.04, 95% CI ×0\.0\d–×0\.0\d, p < 0\.001, 7 days each side\)$/,
      );

      // Recorded once: a second run measures nothing again.
      expect(await store.listOutcomes()).toHaveLength(5);
      expect(await measureOutcomes({ store, warehouse, now: NOW })).toEqual([]);
    } finally {
      await store.close();
      await dir.remove();
    }
  });

  it('says why a change cannot be measured instead of guessing', async () => {
    const dir = await makeStoreDir();
    const warehouse = createMemoryWarehouse({ metrics: traffic('GET /api/busy', 1, 4).filter((r) => r.timestamp < CHANGED) });
    const [quiet, noExample, feature] = await implemented(dir.file, [
      makeDraft({ type: 'performance', subject: { endpoint: 'GET /api/busy' } }),
      makeDraft({ type: 'bug_fix', evidence: [] }),
      makeDraft({ type: 'feature' }),
    ]);
    const store = createEmbeddedStore({ file: dir.file });
    try {
      const results = new Map((await measureOutcomes({ store, warehouse, now: NOW })).map((r) => [r.proposalId, r]));
      expect(results.get(quiet!.id)).toMatchObject({
        state: 'not measurable',
        detail: 'too little traffic: 168 hours with calls before, 0 after (needs 24 each)',
      });
      expect(results.get(noExample!.id)).toMatchObject({ state: 'not measurable', detail: 'the proposal quotes no example error message' });
      expect(results.get(feature!.id)!.state).toBe('not measurable');
      expect(await store.listOutcomes()).toEqual([]);
    } finally {
      await store.close();
      await dir.remove();
    }
  });
});
