import { Router, type Response } from 'express';
import { ProposalNotFound } from '../../domain/errors.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { Decisions } from '../../proposals/decisions.ts';
import { searchProposals } from './proposal-search.ts';
import { requestContext } from './request-context.ts';
import {
  approveBodySchema,
  bodyOf,
  executeBodySchema,
  idempotencyKeyFor,
  listQuerySchema,
  proposalIdParam,
  rejectBodySchema,
  rollbackBodySchema,
} from './request-schemas.ts';

export interface ProposalRoutesDeps {
  store: ProposalStore;
  decisions: Decisions;
}

function actorOf(res: Response): string {
  const { actor } = requestContext(res);
  // Bearer auth runs before these routes; reaching here without an actor is a wiring bug, not a client error.
  if (!actor) throw new Error('proposal route reached without an authenticated actor');
  return actor;
}

/** Reading proposals and deciding on them: `/api/improvements/proposals…`. Mounted behind bearer auth. */
export function proposalRoutes({ store, decisions }: ProposalRoutesDeps): Router {
  const router = Router();

  router.get('/proposals', async (req, res) => {
    const { q, ...query } = listQuerySchema.parse(req.query);
    const { items, total } = q ? await searchProposals(store, { ...query, q }) : await store.list(query);
    // `items` is the list shape the CLI's --json prints too; `proposals` stays for older clients.
    res.json({ items, proposals: items, total, limit: query.limit, offset: query.offset, ...(q ? { q } : {}) });
  });

  router.get('/proposals/:id', async (req, res) => {
    const id = proposalIdParam(req);
    const proposal = await store.get(id);
    if (!proposal) throw new ProposalNotFound(id);
    res.json({ proposal });
  });

  router.post('/proposals/:id/approve', async (req, res) => {
    const id = proposalIdParam(req);
    const body = approveBodySchema.parse(bodyOf(req));
    const actor = actorOf(res);
    const result = await decisions.approve({
      id,
      actor,
      idempotencyKey: idempotencyKeyFor(req, { actor, proposalId: id, action: 'approve' }),
      ...(body.expectedVersion !== undefined ? { expectedVersion: body.expectedVersion } : {}),
      ...(body.autoExecute !== undefined ? { autoExecute: body.autoExecute } : {}),
    });
    res.json({ outcome: result.outcome, proposal: result.proposal });
  });

  router.post('/proposals/:id/reject', async (req, res) => {
    const id = proposalIdParam(req);
    const body = rejectBodySchema.parse(bodyOf(req));
    const actor = actorOf(res);
    const result = await decisions.reject({
      id,
      actor,
      reason: body.reason,
      idempotencyKey: idempotencyKeyFor(req, { actor, proposalId: id, action: 'reject' }),
      ...(body.expectedVersion !== undefined ? { expectedVersion: body.expectedVersion } : {}),
    });
    res.json({ outcome: result.outcome, proposal: result.proposal });
  });

  router.post('/proposals/:id/execute', async (req, res) => {
    const id = proposalIdParam(req);
    const body = executeBodySchema.parse(bodyOf(req));
    const actor = actorOf(res);
    // Tests of a change can run for minutes: answer 202 with the proposal executing when it takes long.
    const { finished, proposal } = await decisions.startExecution({
      id,
      actor,
      idempotencyKey: idempotencyKeyFor(req, { actor, proposalId: id, action: 'execute' }),
      ...(body.expectedVersion !== undefined ? { expectedVersion: body.expectedVersion } : {}),
    });
    res.status(finished ? 200 : 202).json({ proposal });
  });

  router.post('/proposals/:id/rollback', async (req, res) => {
    const id = proposalIdParam(req);
    const body = rollbackBodySchema.parse(bodyOf(req));
    const actor = actorOf(res);
    const proposal = await decisions.rollback({
      id,
      actor,
      reason: body.reason,
      idempotencyKey: idempotencyKeyFor(req, { actor, proposalId: id, action: 'rollback' }),
      ...(body.expectedVersion !== undefined ? { expectedVersion: body.expectedVersion } : {}),
    });
    res.json({ proposal });
  });

  return router;
}
