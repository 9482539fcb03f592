import { beforeEach, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/adapters/store/redis/redis-store.ts';
import { Redis } from 'ioredis';
import { silentLogger } from '../../src/logging.ts';
import { autoFixQuotaKey } from '../../src/domain/policy.ts';
import type { Proposal } from '../../src/domain/proposal.ts';
import type { ProposalStore } from '../../src/ports/store.ts';
import { autoExecute, autoExecuteWaiting } from '../../src/proposals/auto-execution.ts';
import { createDecisions } from '../../src/proposals/decisions.ts';
import { makeDraft } from '../helpers/drafts.ts';
import { useEmbeddedStore } from '../helpers/embedded.ts';
import { probeRedis, REDIS_TEST_URL, useTestRedis } from '../helpers/redis.ts';
import { walkingExecutor } from '../helpers/walking-executor.ts';

const now = new Date('2026-11-24T10:30:00Z');
const logger = silentLogger();

describe('the hourly auto-execution', () => {
  const embedded = useEmbeddedStore();
  let store: ProposalStore;
  beforeEach(() => {
    store = embedded.store;
  });

  it('executes what policy allows and what was approved for automatic execution, and nothing a person must start', async () => {
    const lowBug = await store.create(makeDraft({ type: 'bug_fix', priority: 'low', fingerprint: 'bug:low' }), { actor: 'cycle' });
    const feature = await store.create(makeDraft({ type: 'feature', priority: 'low', fingerprint: 'feature:x' }), { actor: 'cycle' });
    const approvedByPerson = await store.create(makeDraft({ type: 'performance', fingerprint: 'perf:x' }), { actor: 'cycle' });
    const approvedForAuto = await store.create(makeDraft({ type: 'performance', fingerprint: 'perf:auto' }), { actor: 'cycle' });
    const executor = walkingExecutor(store);
    const decisions = createDecisions({ store, executor, logger });
    await decisions.approve({ id: approvedByPerson.id, actor: 'alice', idempotencyKey: 'a1' });
    await decisions.approve({ id: approvedForAuto.id, actor: 'alice', idempotencyKey: 'a2', autoExecute: true });

    const outcomes = await autoExecuteWaiting({ store, decisions, settings: { maxAutoFixesPerDay: 5 } }, 'hourly-1', now);
    expect(outcomes).toEqual([
      { id: lowBug.id, outcome: 'implemented' },
      { id: approvedForAuto.id, outcome: 'implemented' },
    ]);
    expect((await store.get(feature.id))?.status).toBe('pending');
    expect((await store.get(approvedByPerson.id))?.status).toBe('approved');
    expect((await store.get(lowBug.id))?.history.map((h) => h.actor)).toEqual([
      'cycle',
      'policy:auto-execute',
      'policy:auto-execute',
      'policy:auto-execute',
    ]);

    // The same run retried (a replica re-running its slot) finds nothing left to do.
    expect(await autoExecuteWaiting({ store, decisions, settings: { maxAutoFixesPerDay: 5 } }, 'hourly-1', now)).toEqual([]);
    expect(executor.executed).toHaveLength(2);
  });

  it('does not execute a proposal a person re-approved after its policy-approved run failed', async () => {
    const p = await store.create(makeDraft({ type: 'performance', fingerprint: 'perf:retry' }), { actor: 'cycle' });
    const executor = walkingExecutor(store);
    const decisions = createDecisions({ store, executor, logger });
    const approved = await decisions.approve({ id: p.id, actor: 'policy:auto-execute', idempotencyKey: 'p1', autoExecute: true });
    const started = await store.transition({
      id: p.id,
      to: 'executing',
      actor: 'policy:auto-execute',
      idempotencyKey: 'p2',
      expectedVersion: approved.proposal.version,
    });
    await store.transition({
      id: p.id,
      to: 'failed',
      actor: 'policy:auto-execute',
      idempotencyKey: 'p3',
      expectedVersion: started.proposal.version,
    });
    const reapproved = await decisions.approve({ id: p.id, actor: 'alice', idempotencyKey: 'p4' });
    expect(reapproved.proposal.autoExecute).toBe(false);

    expect(await autoExecuteWaiting({ store, decisions, settings: { maxAutoFixesPerDay: 5 } }, 'hourly-3', now)).toEqual([]);
    expect((await store.get(p.id))?.status).toBe('approved');
    expect(executor.executed).toEqual([]);
  });

  it('leaves pending proposals alone when auto-execution is off, and still runs those approved for it', async () => {
    const lowBug = await store.create(makeDraft({ type: 'bug_fix', priority: 'low', fingerprint: 'bug:off' }), { actor: 'cycle' });
    const forAuto = await store.create(makeDraft({ type: 'performance', fingerprint: 'perf:auto-off' }), { actor: 'cycle' });
    const decisions = createDecisions({ store, executor: walkingExecutor(store), logger });
    await decisions.approve({ id: forAuto.id, actor: 'alice', idempotencyKey: 'a-off', autoExecute: true });
    const outcomes = await autoExecuteWaiting(
      { store, decisions, settings: { maxAutoFixesPerDay: 5 }, approvePending: false },
      'hourly-4',
      now,
    );
    expect(outcomes).toEqual([{ id: forAuto.id, outcome: 'implemented' }]);
    expect((await store.get(lowBug.id))?.status).toBe('pending');
  });

  it('stops at the day’s quota and says so for the rest', async () => {
    for (const n of [1, 2, 3])
      await store.create(makeDraft({ type: 'bug_fix', priority: 'low', fingerprint: `bug:${n}` }), { actor: 'cycle' });
    const decisions = createDecisions({ store, executor: walkingExecutor(store), logger });
    const outcomes = await autoExecuteWaiting({ store, decisions, settings: { maxAutoFixesPerDay: 2 } }, 'hourly-2', now);
    expect(outcomes.map((o) => o.outcome)).toEqual(['implemented', 'implemented', 'skipped: daily auto-fix quota used up']);
  });
});

const redisUp = await probeRedis();

describe.skipIf(!redisUp)('the auto-fix quota across replicas', () => {
  const { keyPrefix } = useTestRedis('auto-execution');

  it('lets exactly one of 20 concurrent replicas execute when the day’s quota has one left', async () => {
    const stores = Array.from({ length: 20 }, () =>
      createRedisStore({ redis: new Redis(REDIS_TEST_URL), keyPrefix, ownsConnection: true }),
    );
    try {
      const first = stores[0]!;
      const max = 5;
      for (let i = 0; i < max - 1; i++) await first.takeQuota(autoFixQuotaKey(now), max, 3600_000);
      const proposals: Proposal[] = [];
      for (let i = 0; i < 20; i++)
        proposals.push(
          await first.create(makeDraft({ type: 'bug_fix', priority: 'low', fingerprint: `bug:quota-${i}` }), { actor: 'cycle' }),
        );
      const executors = stores.map((s) => walkingExecutor(s));
      const outcomes = await Promise.all(
        stores.map((s, i) =>
          autoExecute(
            [proposals[i]!],
            { store: s, decisions: createDecisions({ store: s, executor: executors[i]!, logger }), settings: { maxAutoFixesPerDay: max } },
            `replica-${i}`,
            now,
          ),
        ),
      );
      expect(outcomes.flat().filter((o) => o.outcome === 'implemented')).toHaveLength(1);
      expect(outcomes.flat().filter((o) => o.outcome === 'skipped: daily auto-fix quota used up')).toHaveLength(19);
      expect(executors.flatMap((e) => e.executed)).toHaveLength(1);
      expect((await first.counters())['current:status:pending']).toBe(19);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
