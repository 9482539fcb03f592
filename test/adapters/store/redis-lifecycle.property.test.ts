/**
 * docs/RELIABILITY.md test 3: random concurrent batches of transitions (legal, illegal, duplicates with
 * one idempotency key, replays of earlier keys) from 4 connections, checked against a model of the
 * lifecycle. The same property run against a non-atomic mutant must fail: proof it can.
 */
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../../src/adapters/store/redis/redis-store.ts';
import { ConflictError, IllegalTransition } from '../../../src/domain/errors.ts';
import { canTransition, TRANSITIONS } from '../../../src/domain/lifecycle.ts';
import { STATUSES, type Proposal, type ProposalStatus } from '../../../src/domain/proposal.ts';
import type { TransitionRequest } from '../../../src/ports/store.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { deleteKeysWithPrefix, probeRedis, randomKeyPrefix, REDIS_TEST_URL } from '../../helpers/redis.ts';
import { createNonAtomicStore, type TransitionSubject } from './non-atomic-store.ts';

const redisUp = await probeRedis();

interface Op {
  kind: 'legal' | 'illegal' | 'duplicate' | 'replay';
  /** Picks the target status, or the request to duplicate or replay. */
  pick: number;
  connection: number;
  /** Send the status seen before the batch, as a button click would. */
  expectStatus: boolean;
}

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.oneof(
    { arbitrary: fc.constant('legal' as const), weight: 4 },
    { arbitrary: fc.constant('illegal' as const), weight: 1 },
    { arbitrary: fc.constant('duplicate' as const), weight: 2 },
    { arbitrary: fc.constant('replay' as const), weight: 1 },
  ),
  pick: fc.nat(1000),
  connection: fc.integer({ min: 0, max: 3 }),
  expectStatus: fc.boolean(),
});
const batchesArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** The model: what must hold of the stored proposal given the requests the store said it applied. */
function checkAgainstModel(stored: Proposal, applied: TransitionRequest[]): void {
  const { history } = stored;
  check(stored.version === history.length, `version ${stored.version} but ${history.length} history entries`);
  check(stored.version === applied.length + 1, `version ${stored.version} but ${applied.length} transitions applied`);
  check(history[0]?.action === 'created' && history[0].to === 'pending', 'history does not start with the creation');
  for (const [i, entry] of history.entries()) {
    check(entry.version === i + 1, `history[${i}] has version ${entry.version}`);
    if (i === 0) continue;
    const previous = history[i - 1]!;
    check(entry.from === previous.to, `history[${i}] starts from ${entry.from}, the proposal was ${previous.to}`);
    check(canTransition(previous.to, entry.to), `history[${i}] is an illegal move ${previous.to} → ${entry.to}`);
  }
  check(stored.status === history[history.length - 1]!.to, `status ${stored.status} is not where the history ends`);
  const actors = history
    .slice(1)
    .map((h) => h.actor)
    .sort();
  check(JSON.stringify(actors) === JSON.stringify(applied.map((r) => r.actor).sort()), 'history and applied requests differ');
}

function lifecycleProperty(connections: () => TransitionSubject[]) {
  return fc.asyncProperty(batchesArb, async (batches) => {
    const subjects = connections();
    const proposal = await subjects[0]!.create(makeDraft(), { actor: 'model' });
    const issued: TransitionRequest[] = [];
    const appliedKeys = new Set<string>();
    const applied: TransitionRequest[] = [];
    let seen: ProposalStatus = 'pending';
    let next = 0;
    for (const batch of batches) {
      const requests: TransitionRequest[] = [];
      for (const op of batch) {
        if (op.kind === 'duplicate' && requests.length) requests.push(requests[op.pick % requests.length]!);
        else if (op.kind === 'replay' && issued.length) requests.push(issued[op.pick % issued.length]!);
        else {
          const allowed = TRANSITIONS[seen];
          const refused = STATUSES.filter((s) => !allowed.includes(s));
          const pool = op.kind === 'legal' && allowed.length ? allowed : refused;
          const n = next++;
          // Keys are global, so each run's keys carry its proposal id.
          const idempotencyKey = `${proposal.id}:key-${n}`;
          requests.push({
            id: proposal.id,
            to: pool[op.pick % pool.length]!,
            actor: `actor-${n}`,
            idempotencyKey,
            ...(op.expectStatus ? { expectedStatus: seen } : {}),
          });
        }
      }
      const appliedBefore = new Set(appliedKeys);
      const results = await Promise.allSettled(requests.map((request, i) => subjects[batch[i]!.connection]!.transition(request)));
      for (const [i, result] of results.entries()) {
        const request = requests[i]!;
        if (result.status === 'rejected') {
          const error = result.reason as unknown;
          check(error instanceof IllegalTransition || error instanceof ConflictError, `unexpected error: ${String(error)}`);
          check(!appliedBefore.has(request.idempotencyKey), `replay of applied ${request.idempotencyKey} refused: ${String(error)}`);
          continue;
        }
        if (appliedBefore.has(request.idempotencyKey))
          check(result.value.outcome === 'duplicate', `replay of ${request.idempotencyKey} was applied again`);
        if (result.value.outcome === 'applied') {
          check(!appliedKeys.has(request.idempotencyKey), `${request.idempotencyKey} applied twice`);
          appliedKeys.add(request.idempotencyKey);
          applied.push(request);
          const last = result.value.proposal.history.at(-1);
          check(
            last?.actor === request.actor && last.to === request.to,
            `applied result for ${request.idempotencyKey} does not end with its move`,
          );
        }
      }
      issued.push(...requests);
      const stored = await subjects[0]!.get(proposal.id);
      check(stored !== null, 'proposal vanished');
      checkAgainstModel(stored!, applied);
      seen = stored!.status;
    }
  });
}

describe.skipIf(!redisUp)('proposal lifecycle on redis, as a property', () => {
  const keyPrefix = randomKeyPrefix('property');
  const clients: Redis[] = [];
  beforeAll(async () => {
    clients.push(...Array.from({ length: 4 }, () => new Redis(REDIS_TEST_URL)));
    await Promise.all(clients.map((c) => c.ping()));
  });
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await deleteKeysWithPrefix(keyPrefix);
  });

  it('keeps version, history and the lifecycle consistent over 1000 runs of concurrent batches from 4 connections', async () => {
    const stores = clients.map((redis) => createRedisStore({ redis, keyPrefix }));
    await fc.assert(
      lifecycleProperty(() => stores),
      { numRuns: 1000 },
    );
  }, 180_000);

  it('catches a read-then-write store that skips the compare-and-set (the property can fail)', async () => {
    const mutants = clients.map((redis) => createNonAtomicStore(redis, keyPrefix, createRedisStore({ redis, keyPrefix })));
    const result = await fc.check(
      lifecycleProperty(() => mutants),
      { numRuns: 300 },
    );
    expect(result.failed, 'the property passed against a non-atomic store').toBe(true);
    expect(result.numRuns).toBeLessThanOrEqual(300);
  }, 120_000);
});
