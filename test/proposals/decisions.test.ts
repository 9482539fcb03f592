import { beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging.ts';
import type { ProposalStore } from '../../src/ports/store.ts';
import { createDecisions } from '../../src/proposals/decisions.ts';
import { makeDraft } from '../helpers/drafts.ts';
import { useEmbeddedStore } from '../helpers/embedded.ts';
import { walkingExecutor } from '../helpers/walking-executor.ts';

describe('decisions and the surfaces they tell', () => {
  const embedded = useEmbeddedStore();
  let store: ProposalStore;
  beforeEach(() => {
    store = embedded.store;
  });

  it('answers a decision without waiting for a slow notifier, and settles only when the notifier is done', async () => {
    let release!: () => void;
    const told: string[] = [];
    const notifier = {
      proposalChanged: (_p: unknown, change: { action: string }) =>
        new Promise<void>((resolve) => {
          release = () => {
            told.push(change.action);
            resolve();
          };
        }),
    };
    const decisions = createDecisions({ store, notifiers: [notifier], logger: silentLogger() });
    const p = await store.create(makeDraft(), { actor: 'test' });
    const result = await decisions.approve({ id: p.id, actor: 'alice', idempotencyKey: 'k1' });
    expect(result.proposal.status).toBe('approved');
    expect(told).toEqual([]);
    let settled = false;
    const settling = decisions.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    await settling;
    expect(told).toEqual(['approved']);
  });

  it('tells no notifier about a duplicate request', async () => {
    const told: string[] = [];
    const decisions = createDecisions({
      store,
      notifiers: [{ proposalChanged: async (_p, c) => void told.push(c.action) }],
      logger: silentLogger(),
    });
    const p = await store.create(makeDraft(), { actor: 'test' });
    await decisions.approve({ id: p.id, actor: 'alice', idempotencyKey: 'same' });
    await decisions.approve({ id: p.id, actor: 'alice', idempotencyKey: 'same' });
    await decisions.settled();
    expect(told).toEqual(['approved']);
  });

  it('answers a quick execution with its result and a long one with the proposal executing, finishing it either way', async () => {
    const quick = createDecisions({ store, executor: walkingExecutor(store), logger: silentLogger() });
    const a = await store.create(makeDraft({ fingerprint: 'quick' }), { actor: 'test' });
    await quick.approve({ id: a.id, actor: 'alice', idempotencyKey: 'qa' });
    expect(await quick.startExecution({ id: a.id, actor: 'alice', idempotencyKey: 'qe' }, 1000)).toMatchObject({
      finished: true,
      proposal: { status: 'implemented' },
    });

    const slow = createDecisions({ store, executor: walkingExecutor(store, { delayMs: 200 }), logger: silentLogger() });
    const b = await store.create(makeDraft({ fingerprint: 'slow' }), { actor: 'test' });
    await slow.approve({ id: b.id, actor: 'alice', idempotencyKey: 'sa' });
    expect(await slow.startExecution({ id: b.id, actor: 'alice', idempotencyKey: 'se' }, 20)).toMatchObject({
      finished: false,
      proposal: { status: 'executing' },
    });
    await slow.settled();
    expect((await store.get(b.id))?.status).toBe('implemented');
  });

  it('throws a refusal from startExecution at once', async () => {
    const decisions = createDecisions({ store, executor: walkingExecutor(store), logger: silentLogger() });
    const p = await store.create(makeDraft(), { actor: 'test' });
    await expect(decisions.startExecution({ id: p.id, actor: 'alice', idempotencyKey: 'e' })).rejects.toThrow(
      /cannot go from pending to executing/,
    );
  });

  it('says whether the executor has an editing agent: not without an executor, nor with one that has none', () => {
    const executor = walkingExecutor(store);
    expect(createDecisions({ store, logger: silentLogger() }).hasAgent()).toBe(false);
    expect(createDecisions({ store, executor, logger: silentLogger() }).hasAgent()).toBe(false);
    expect(createDecisions({ store, executor: { ...executor, hasAgent: true }, logger: silentLogger() }).hasAgent()).toBe(true);
  });
});
