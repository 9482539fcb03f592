/**
 * A deliberately broken transition (a mutant), kept so the lifecycle property test can prove it is
 * able to fail: it reads, awaits a tick, then writes without a compare-and-set, which is what a
 * plausible read-then-write implementation does. Same key layout as the real store, so the real
 * store's get() reads what it wrote. Never use outside tests.
 */
import type { Redis } from 'ioredis';
import { createRedisKeys } from '../../../src/adapters/store/redis/keys.ts';
import { encodeProposal } from '../../../src/adapters/store/redis/proposal-codec.ts';
import { ProposalNotFound } from '../../../src/domain/errors.ts';
import { planTransition } from '../../../src/domain/transition.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';

export type TransitionSubject = Pick<ProposalStore, 'create' | 'get' | 'transition'>;

export function createNonAtomicStore(redis: Redis, keyPrefix: string, real: ProposalStore): TransitionSubject {
  const keys = createRedisKeys(keyPrefix);
  return {
    create: (draft, options) => real.create(draft, options),
    get: (id) => real.get(id),
    async transition(request) {
      const idempotencyKey = keys.idempotency(request.idempotencyKey);
      const current = await real.get(request.id);
      if (!current) throw new ProposalNotFound(request.id);
      if (await redis.exists(idempotencyKey)) return { outcome: 'duplicate', proposal: current };
      const plan = planTransition(current, request, new Date());
      await new Promise((resolve) => setImmediate(resolve)); // room for another writer: the bug
      await redis
        .multi()
        .set(keys.proposal(request.id), encodeProposal(plan.next))
        .xadd(keys.history(request.id), '*', 'entry', JSON.stringify(plan.entry))
        .set(idempotencyKey, '{}', 'EX', 86_400)
        .exec();
      return { outcome: 'applied', proposal: plan.next };
    },
  };
}
