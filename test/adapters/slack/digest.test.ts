import { afterEach, describe, expect, it } from 'vitest';
import { gatherDigest } from '../../../src/adapters/slack/delivery/digest.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { renderDigest } from '../../../src/adapters/slack/views/digest-message.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { plantCheckoutTeam } from '../../helpers/decision-history.ts';
import { makeStoreDir } from '../../helpers/embedded.ts';

const DAY = 86_400_000;

describe('the daily digest', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function storeAt(clock: { now: number }) {
    const dir = await makeStoreDir();
    const store = createEmbeddedStore({ file: dir.file, now: () => new Date(clock.now) });
    cleanups.push(async () => {
      await store.close();
      await dir.remove();
    });
    return store;
  }

  it('ranks by priority, high first, and lists each proposal once: new, waiting or overdue', async () => {
    const clock = { now: Date.parse('2026-12-01T08:00:00Z') };
    const store = await storeAt(clock);
    const oldLow = await store.create(makeDraft({ title: 'old low', priority: 'low' }), { actor: 'system' });
    const oldCritical = await store.create(makeDraft({ title: 'old critical', priority: 'critical' }), { actor: 'system' });
    clock.now += 3 * DAY;
    const newLow = await store.create(makeDraft({ title: 'docs', type: 'code_quality', priority: 'low' }), { actor: 'system' });
    const newHigh = await store.create(makeDraft({ title: 'dark mode', type: 'feature', priority: 'high' }), { actor: 'system' });
    const newMedium = await store.create(makeDraft({ title: 'cache', priority: 'medium' }), { actor: 'system' });

    clock.now -= DAY;
    const recent = await store.create(makeDraft({ title: 'yesterday', priority: 'medium' }), { actor: 'system' });
    clock.now += DAY;

    const data = await gatherDigest(store, new Date(clock.now + 3_600_000), 48);
    expect(data.newProposals.map((p) => p.id)).toEqual([newHigh.id, newMedium.id, newLow.id]);
    expect(data.waiting.map((p) => p.id)).toEqual([recent.id]);
    expect(data.overdue.map((o) => o.proposal.id).sort()).toEqual([oldLow.id, oldCritical.id].sort());

    const text = JSON.stringify(renderDigest(data).blocks);
    for (const title of ['docs', 'dark mode', 'cache', 'yesterday', 'old low', 'old critical']) {
      const listings = text.split(`• ${title}`).length - 1;
      expect(listings, title).toBe(1);
    }
    expect(text.indexOf('dark mode')).toBeLessThan(text.indexOf('• docs'));
  });

  it('lists pending proposals in learned order once past decisions show a pattern, and says so', async () => {
    const clock = { now: Date.parse('2026-12-01T08:00:00Z') };
    const store = await storeAt(clock);
    const planted = await plantCheckoutTeam(store);
    clock.now += 3 * 3_600_000;
    const data = await gatherDigest(store, new Date(clock.now), 48, { minDecisions: 20 });
    // The two pending ones come first (in learned order), then what was decided the same day.
    expect(data.newProposals.slice(0, 2).map((p) => p.id)).toEqual([planted.lowCheckoutBug, planted.criticalDocs]);
    expect(data.rankingBasis).toMatch(/^Pending proposals in the order people are likely to approve them \(learned from 40 decisions/);
    expect(JSON.stringify(renderDigest(data).blocks)).toContain('learned from 40 decisions');

    const byRule = await gatherDigest(store, new Date(clock.now), 48, { minDecisions: 1000 });
    const pendingByRule = byRule.newProposals.filter((p) => p.status === 'pending').map((p) => p.id);
    expect(pendingByRule).toEqual([planted.criticalDocs, planted.lowCheckoutBug]);
    expect(byRule.rankingBasis).toBeUndefined();
  });
});
