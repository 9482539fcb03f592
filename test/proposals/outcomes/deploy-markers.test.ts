import { describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import type { Deployment } from '../../../src/domain/deployment.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { changeMarker } from '../../../src/proposals/outcomes/change-marker.ts';
import { measureOutcomes } from '../../../src/proposals/outcomes/measure-outcomes.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { makeStoreDir } from '../../helpers/embedded.ts';
import { createMemoryWarehouse, type ErrorLogRow } from '../../helpers/memory-warehouse.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const IMPLEMENTED = Date.parse('2026-01-15T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function proposal(history: [to: 'implemented' | 'merged', at: number][]): Proposal {
  return {
    ...makeDraft({ type: 'bug_fix' }),
    id: 'p1',
    status: history.at(-1)![0],
    version: history.length + 1,
    createdAt: iso(IMPLEMENTED - DAY),
    updatedAt: iso(history.at(-1)![1]),
    history: history.map(([to, at], i) => ({ version: i + 2, at: iso(at), actor: 'x', action: to, from: null, to })),
    execution: { commit: '4f2c9ab0e1d2c3b4a5968778695a4b3c2d1e0f9a', branch: 'improvement/p1' },
  };
}

const deploy = (id: string, at: number, extra: Partial<Deployment> = {}): Deployment => ({
  id,
  deployedAt: iso(at),
  source: 'api',
  ...extra,
});

describe('when a change took effect', () => {
  it('is the deploy that names its commit or branch, even before a merge', () => {
    const implemented = proposal([['implemented', IMPLEMENTED]]);
    const marker = changeMarker(implemented, [
      deploy('too-early', IMPLEMENTED - HOUR, { commit: '4f2c9ab' }),
      deploy('other', IMPLEMENTED + HOUR, { commit: 'ffff0000' }),
      deploy('d-9', IMPLEMENTED + 2 * HOUR, { commit: '4F2C9AB', environment: 'staging' }),
    ]);
    expect(marker).toEqual({
      at: IMPLEMENTED + 2 * HOUR,
      marker: 'deployed',
      markedBy: 'deploy d-9 to staging (commit 4F2C9AB), which names the change, reported to the API',
    });
    expect(changeMarker(implemented, [deploy('b', IMPLEMENTED + HOUR, { ref: 'improvement/p1' })])?.markedBy).toMatch(
      /^deploy b \(ref improvement\/p1\), which names/,
    );
  });

  it('for a learning proposal, the publication of its knowledge entry, whatever deploys followed', () => {
    const learning = {
      ...proposal([['implemented', IMPLEMENTED]]),
      type: 'learning' as const,
      execution: { published: { category: 'annual-refund', key: 'k1' } },
    };
    expect(changeMarker(learning, [deploy('d', IMPLEMENTED + HOUR)])).toEqual({
      at: IMPLEMENTED,
      marker: 'implemented',
      markedBy: 'knowledge:annual-refund:k1 was published',
    });
  });

  it('for a merged change, the first deploy to the environment after the merge, else the merge itself', () => {
    const merged = proposal([
      ['implemented', IMPLEMENTED],
      ['merged', IMPLEMENTED + DAY],
    ]);
    const deploys = [
      deploy('before-merge', IMPLEMENTED + HOUR, { environment: 'production' }),
      deploy('staging', IMPLEMENTED + DAY + HOUR, { environment: 'staging' }),
      deploy('prod', IMPLEMENTED + DAY + 3 * HOUR, { environment: 'production', source: 'warehouse' }),
    ];
    expect(changeMarker(merged, deploys, 'production')).toEqual({
      at: IMPLEMENTED + DAY + 3 * HOUR,
      marker: 'deployed',
      markedBy: 'deploy prod to production, the first after the merge, reported in the deployments table',
    });
    expect(changeMarker(merged, deploys)?.at).toBe(IMPLEMENTED + DAY + HOUR);
    expect(changeMarker(merged, deploys.slice(0, 1))).toEqual({
      at: IMPLEMENTED + DAY,
      marker: 'merged',
      markedBy: 'the merge (no deploy marker after it)',
    });
    // An unmerged change is not shipped by a deploy that does not name it.
    expect(changeMarker(proposal([['implemented', IMPLEMENTED]]), deploys)).toMatchObject({ at: IMPLEMENTED, marker: 'implemented' });
  });
});

describe('the after window starts at the deploy', () => {
  /** An error that stops three days after the change was implemented, when it was deployed. */
  function errors(): ErrorLogRow[] {
    const rows: ErrorLogRow[] = [];
    for (let t = IMPLEMENTED - 3 * DAY; t < IMPLEMENTED + 6 * DAY; t += HOUR) {
      const perHour = t < IMPLEMENTED + 3 * DAY ? 4 : 0;
      for (let i = 0; i < perHour; i++)
        rows.push({ message: `TypeError: price of undefined for order ${t % 997}${i}`, timestamp: new Date(t + i * 60_000) });
    }
    return rows;
  }

  async function implementedBugFix(dir: string): Promise<string> {
    const store = createEmbeddedStore({ file: dir, now: () => new Date(IMPLEMENTED) });
    try {
      const p = await store.create(
        makeDraft({ type: 'bug_fix', evidence: [{ label: 'example', value: 'TypeError: price of undefined for order 12' }] }),
        {
          actor: 'cycle',
        },
      );
      for (const to of ['approved', 'executing'] as const)
        await store.transition({ id: p.id, to, actor: 'u', idempotencyKey: `${p.id}-${to}` });
      await store.transition({
        id: p.id,
        to: 'implemented',
        actor: 'executor',
        idempotencyKey: `${p.id}-implemented`,
        changes: { execution: { commit: '4f2c9ab0e1d2', branch: `improvement/${p.id}` } },
      });
      return p.id;
    } finally {
      await store.close();
    }
  }

  const settings = { windowDays: 3, alpha: 0.05 };
  const now = new Date(IMPLEMENTED + 7 * DAY);

  it('finds the effect a deploy marker posted to the API shipped, where the implemented time would see none', async () => {
    const warehouse = createMemoryWarehouse({ errors: errors() });
    const measure = async (marker?: Deployment) => {
      const dir = await makeStoreDir();
      const id = await implementedBugFix(dir.file);
      const store = createEmbeddedStore({ file: dir.file });
      try {
        if (marker) await store.recordDeployment(marker);
        const [result] = await measureOutcomes({ store, warehouse, now, settings: { ...settings, deployEnvironment: 'production' } });
        return { id, outcome: result!.outcome! };
      } finally {
        await store.close();
        await dir.remove();
      }
    };
    // Without a marker the windows straddle the commit, and the error ran on both sides of it.
    expect((await measure()).outcome).toMatchObject({ verdict: 'no change', marker: 'implemented', before: 288, after: 288 });
    const { id, outcome } = await measure(deploy('ci-812', IMPLEMENTED + 3 * DAY, { commit: '4f2c9ab0', environment: 'production' }));
    expect(outcome).toMatchObject({
      proposalId: id,
      verdict: 'improved',
      marker: 'deployed',
      changedAt: iso(IMPLEMENTED + 3 * DAY),
      before: 288,
      after: 0,
      markedBy: 'deploy ci-812 to production (commit 4f2c9ab0), which names the change, reported to the API',
    });
  });

  it('reads deploy markers from the warehouse table too, and waits for the window after a late deploy', async () => {
    const dir = await makeStoreDir();
    await implementedBugFix(dir.file);
    const store = createEmbeddedStore({ file: dir.file });
    try {
      const warehouse = createMemoryWarehouse({
        errors: errors(),
        deployments: [{ id: 'table-1', deployedAt: iso(IMPLEMENTED + 3 * DAY), commit: '4f2c9ab0e1d2' }],
      });
      const [early] = await measureOutcomes({ store, warehouse, now: new Date(IMPLEMENTED + 5 * DAY), settings });
      expect(early).toMatchObject({ state: 'waiting', detail: `the after window ends ${iso(IMPLEMENTED + 6 * DAY)}` });
      const [result] = await measureOutcomes({ store, warehouse, now, settings });
      expect(result!.outcome).toMatchObject({
        verdict: 'improved',
        marker: 'deployed',
        markedBy: expect.stringContaining('in the deployments table'),
      });
    } finally {
      await store.close();
      await dir.remove();
    }
  });

  it('reads the deployments table once per run, however many changes wait', async () => {
    const dir = await makeStoreDir();
    for (let i = 0; i < 3; i++) await implementedBugFix(dir.file);
    const store = createEmbeddedStore({ file: dir.file });
    try {
      const memory = createMemoryWarehouse({ errors: errors() });
      const windows: { from: Date; to: Date }[] = [];
      const warehouse = { ...memory, deployments: async (w: { from: Date; to: Date }) => (windows.push(w), memory.deployments!(w)) };
      const results = await measureOutcomes({ store, warehouse, now: new Date(IMPLEMENTED + 2 * DAY), settings });
      expect(results.map((r) => r.state)).toEqual(['waiting', 'waiting', 'waiting']);
      expect(windows).toEqual([{ from: new Date(IMPLEMENTED), to: new Date(IMPLEMENTED + 2 * DAY + 1) }]);
    } finally {
      await store.close();
      await dir.remove();
    }
  });
});
