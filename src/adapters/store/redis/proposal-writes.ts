import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ConflictError, ProposalNotFound, ValidationError } from '../../../domain/errors.ts';
import { isProposalId, newProposalId } from '../../../domain/ids.ts';
import { isTerminal, type Proposal, type ProposalDraft } from '../../../domain/proposal.ts';
import {
  assertVersion,
  conflictMovedOn,
  planCreation,
  planNote,
  planRefresh,
  planTransition,
  type PlannedWrite,
} from '../../../domain/transition.ts';
import type { CreateOptions, NoteRequest, RefreshRequest, TransitionRequest, TransitionResult } from '../../../ports/store.ts';
import type { RedisKeys } from './keys.ts';
import { decodeProposal, type StreamEntry } from './proposal-codec.ts';
import type { StoreScripts } from './scripts.ts';

/**
 * How often a write is planned again after another writer moved the version without changing the
 * status (a refresh, or a racing duplicate). Each round means someone else made progress, so a
 * small bound is enough; past it the caller gets a ConflictError and may retry.
 */
const MAX_ATTEMPTS = 5;
/**
 * A refresh has no caller key, so it gets one of its own: without it, a refresh whose reply was
 * lost would be re-sent by ioredis, refused as stale, and reported as a conflict though it landed.
 * Re-sends come within seconds; an hour is plenty.
 */
const REFRESH_RECORD_TTL_SECONDS = 60 * 60;

export interface ProposalWrites {
  read(id: string): Promise<Proposal | null>;
  create(draft: ProposalDraft, options: CreateOptions): Promise<Proposal>;
  transition(request: TransitionRequest): Promise<TransitionResult>;
  note(request: NoteRequest): Promise<TransitionResult>;
  refresh(request: RefreshRequest): Promise<Proposal>;
}

/**
 * Node reads, plans with the domain's pure planners, then one script applies the plan with a
 * compare-and-set on the version. The decision is Node's; the atomicity is Redis's.
 */
export function createProposalWrites(deps: {
  redis: Redis;
  keys: RedisKeys;
  scripts: StoreScripts;
  now: () => Date;
  retentionMs: number;
}): ProposalWrites {
  const { redis, keys, scripts, now, retentionMs } = deps;

  /**
   * Proposal and history, and the proposal an idempotency key was applied to (if it was), in one
   * MULTI: one consistent snapshot.
   */
  async function snapshot(id: string, idempotencyKey?: string): Promise<{ proposal: Proposal | null; keyUsedOn: string | null }> {
    const tx = redis.multi().get(keys.proposal(id)).xrange(keys.history(id), '-', '+');
    if (idempotencyKey !== undefined) tx.get(keys.idempotency(idempotencyKey));
    const replies = await tx.exec();
    if (!replies) throw new Error('Redis discarded a read transaction');
    const values = replies.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const [doc, history, record] = values as [string | null, StreamEntry[], string | null | undefined];
    const keyUsedOn = record ? (JSON.parse(record) as { proposalId: string }).proposalId : null;
    return { proposal: doc === null ? null : decodeProposal(doc, history), keyUsedOn };
  }

  /** Keys are global: a replayed key answers with the proposal it was applied to, as it is now. */
  async function duplicate(request: { id: string }, proposalId: string, current: Proposal | null): Promise<TransitionResult> {
    const proposal = proposalId === request.id && current ? current : await readOrThrow(proposalId);
    return { outcome: 'duplicate', proposal };
  }

  async function readOrThrow(id: string): Promise<Proposal> {
    const { proposal } = await snapshot(id);
    if (!proposal) throw new ProposalNotFound(id);
    return proposal;
  }

  function retentionEnd(plan: PlannedWrite): number | null {
    return isTerminal(plan.next.status) ? Date.parse(plan.next.updatedAt) + retentionMs : null;
  }

  /** A transition or a note: planned on a fresh snapshot, applied with the idempotency key, re-planned on a refresh. */
  async function keyedWrite<R extends { id: string; idempotencyKey: string }>(
    request: R,
    plan: (current: Proposal, request: R, at: Date) => PlannedWrite,
    doing: string,
    /** A note fits any status: another writer's move is planned on again, not a conflict. */
    anyStatus = false,
  ): Promise<TransitionResult> {
    if (!request.idempotencyKey) throw new ValidationError('A transition needs an idempotency key');
    // One nonce per call: the script tells ioredis's re-send of this call from another call with the same key.
    const idempotency = { key: request.idempotencyKey, nonce: randomUUID() };
    // Notes come in bursts (a check suite's runs finish together); each lost round is someone else's progress.
    const attempts = anyStatus ? MAX_ATTEMPTS * 4 : MAX_ATTEMPTS;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const { proposal: current, keyUsedOn } = await snapshot(request.id, request.idempotencyKey);
      // A replayed key answers before any check that could refuse it: a re-sent request whose
      // first attempt went through must hear "duplicate", not a conflict with its own success.
      if (keyUsedOn) return duplicate(request, keyUsedOn, current);
      if (!current) throw new ProposalNotFound(request.id);
      const planned = plan(current, request, now());
      const reply = await scripts.write(planned, { idempotency, expiresAt: retentionEnd(planned) });
      if (reply.kind === 'applied') return { outcome: 'applied', proposal: planned.next };
      if (reply.kind === 'duplicate') return duplicate(request, reply.proposalId, null);
      if (reply.kind === 'not_found') throw new ProposalNotFound(request.id);
      const fresh = await readOrThrow(request.id);
      if (fresh.status !== current.status && !anyStatus) throw conflictMovedOn(fresh);
      // Same status, newer version (a refresh): plan again on what is there now.
    }
    const last = await readOrThrow(request.id);
    throw new ConflictError(last.id, `Proposal ${last.id} kept changing while ${doing}; try again`, last.status, last.version);
  }

  return {
    read: async (id) => (await snapshot(id)).proposal,

    async create(draft, options) {
      const at = now();
      const id = options.id ?? newProposalId(draft.type, at);
      if (!isProposalId(id)) throw new ValidationError(`"${id}" is not a valid proposal id`);
      const plan = planCreation(draft, id, options.actor, at);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const seenId = await redis.get(keys.fingerprint(draft.fingerprint));
        const reply = await scripts.create(plan, seenId);
        if (reply.kind === 'created') return plan.next;
        if (reply.kind === 'exists') {
          throw new ConflictError(
            reply.id,
            `Proposal ${reply.id} is already ${reply.status} for this finding (${draft.fingerprint})`,
            reply.status,
          );
        }
        if (reply.kind === 'id_taken') throw new ConflictError(id, `A proposal with id ${id} already exists`);
        // 'stale': the fingerprint moved between our read and the script; look again.
      }
      throw new ConflictError(id, `The finding ${draft.fingerprint} is being filed by someone else; try again`);
    },

    transition: (request) => keyedWrite(request, planTransition, `moving it to ${request.to}`),

    note: (request) => keyedWrite(request, planNote, `recording ${request.action}`, true),

    async refresh(request) {
      const current = await readOrThrow(request.id);
      const plan = planRefresh(current, request, now());
      const nonce = randomUUID();
      const idempotency = { key: `refresh:${nonce}`, nonce, ttlSeconds: REFRESH_RECORD_TTL_SECONDS };
      const reply = await scripts.write(plan, { idempotency, expiresAt: null });
      if (reply.kind === 'applied') return plan.next;
      if (reply.kind === 'not_found') throw new ProposalNotFound(request.id);
      // The caller named the version it refreshed; any other version means its content is stale.
      const fresh = await readOrThrow(request.id);
      assertVersion(fresh, request.expectedVersion);
      throw new ConflictError(fresh.id, `Proposal ${fresh.id} changed while it was refreshed`, fresh.status, fresh.version);
    },
  };
}
