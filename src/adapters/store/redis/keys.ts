import type { ProposalStatus, ProposalType } from '../../../domain/proposal.ts';

/**
 * Every Redis key the store touches, in one place. With the default empty prefix the names are the
 * seed system's (`improvement:proposal:{id}` holds the proposal JSON, so `redis-cli GET … | jq`
 * keeps working); a prefix lets tests and several deployments share one Redis.
 */
export interface RedisKeys {
  readonly prefix: string;
  /** The proposal as a JSON string, without its history. */
  proposal(id: string): string;
  /** Append-only stream of history entries: XLEN === version. */
  history(id: string): string;
  /** `{ total, byStatus, byType }` as JSON, kept current by the write scripts. */
  readonly summary: string;
  /**
   * Hash id → list row (the proposal without patch and history, with hasPatch, as JSON), written by
   * the same script as the proposal, so a list page is one read of small rows.
   */
  readonly rows: string;
  /** Hash of the counters named in src/domain/counters.ts. */
  readonly counters: string;
  /** Capped stream of every history entry of every proposal, for recentActivity. */
  readonly activity: string;
  /** Zset of proposal ids scored by createdAt; each filter of `list` has its own. */
  index(filter: { status?: ProposalStatus; type?: ProposalType }): string;
  /** Newest proposal id ever filed for a fingerprint. */
  fingerprint(fingerprint: string): string;
  /** A transition's idempotency record; keys are global (see TransitionRequest.idempotencyKey). */
  idempotency(key: string): string;
  /** Zset of terminal proposal ids scored by the end of their retention. */
  readonly expiry: string;
  quota(name: string): string;
  /** Hash proposalId → gain JSON. */
  readonly gains: string;
  readonly outcomes: string;
  /** Hash deploy id → deployment JSON, and a zset of the ids by deploy time. */
  readonly deployments: string;
  readonly deploymentTimes: string;
  knowledge(category: string, key: string): string;
  /**
   * Zsets of knowledge entries scored by createdAt. They live outside `knowledge:` so that no
   * category or key can collide with them.
   */
  knowledgeIndex(category?: string): string;
}

export function createRedisKeys(prefix = ''): RedisKeys {
  const k = (name: string) => `${prefix}${name}`;
  return {
    prefix,
    proposal: (id) => k(`improvement:proposal:${id}`),
    history: (id) => k(`improvement:history:${id}`),
    summary: k('improvement:proposals:summary'),
    rows: k('improvement:proposals:rows'),
    counters: k('improvement:counters'),
    activity: k('improvement:activity'),
    index: ({ status, type }) => {
      if (status && type) return k(`improvement:index:status:${status}:type:${type}`);
      if (status) return k(`improvement:index:status:${status}`);
      if (type) return k(`improvement:index:type:${type}`);
      return k('improvement:index:all');
    },
    fingerprint: (fingerprint) => k(`improvement:fingerprint:${fingerprint}`),
    idempotency: (key) => k(`improvement:idempotency:${key}`),
    expiry: k('improvement:expiry'),
    quota: (name) => k(`improvement:quota:${name}`),
    gains: k('improvement:gains'),
    outcomes: k('improvement:outcomes'),
    deployments: k('improvement:deployments'),
    deploymentTimes: k('improvement:deployments:by-time'),
    knowledge: (category, key) => k(`knowledge:${category}:${key}`),
    knowledgeIndex: (category) =>
      category === undefined ? k('improvement:knowledge:index') : k(`improvement:knowledge:index:${category}`),
  };
}
