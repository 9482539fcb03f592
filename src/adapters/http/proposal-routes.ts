import { Router, type Response } from 'express';
import { ProposalNotFound, RevisionUnavailable } from '../../domain/errors.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { Decisions } from '../../proposals/decisions.ts';
import type { Revisions } from '../../proposals/revisions.ts';
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
  reviseBodySchema,
  rollbackBodySchema,
} from './request-schemas.ts';

export interface ProposalRoutesDeps {
  store: ProposalStore;
  decisions: Decisions;
  /** `POST …/:id/revise`; absent → 503 like a missing executor. */
  revisions?: Revisions;
}

function actorOf(res: Response): string {
  const { actor } = requestContext(res);
  // Bearer auth runs before these routes; reaching here without an actor is a wiring bug, not a client error.
  if (!actor) throw new Error('proposal route reached without an authenticated actor');
  return actor;
}

/**
 * The list's JSON: `items` is the list shape the CLI's --json prints too; `proposals` (the same
 * rows) stays for older clients. Each row is already JSON text from the store.
 */
export function listBody(rows: readonly string[], page: { total: number; limit: number; offset: number }): string {
  const array = `[${rows.join(',')}]`;
  return `{"items":${array},"proposals":${array},"total":${page.total},"limit":${page.limit},"offset":${page.offset}}`;
}

/** Reading proposals and deciding on them: `/api/improvements/proposals…`. Mounted behind bearer auth. */
export function proposalRoutes({ store, decisions, revisions }: ProposalRoutesDeps): Router {
  const router = Router();

  router.get('/proposals', async (req, res) => {
    const { q, dir, ...rest } = listQuerySchema.parse(req.query);
    const query = { ...rest, ...(dir ? { direction: dir } : {}) };
    if (q) {
      const { items, total } = await searchProposals(store, { ...query, q });
      res.json({ items, proposals: items, total, limit: query.limit, offset: query.offset, q });
      return;
    }
    // The rows go out as the store keeps them, JSON text spliced into the answer: parsing and
    // re-encoding each row was most of what this route cost.
    const { rows, total } = await store.listRows(query);
    res.type('application/json').send(listBody(rows, { total, limit: query.limit, offset: query.offset }));
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

  // Claude and the trial take minutes: 202 with the request recorded; the result reaches the history and the Slack thread.
  router.post('/proposals/:id/revise', async (req, res) => {
    const id = proposalIdParam(req);
    const body = reviseBodySchema.parse(bodyOf(req));
    const actor = actorOf(res);
    if (!revisions) throw new RevisionUnavailable('Revisions are not available in this installation');
    const proposal = await revisions.start({
      id,
      actor,
      instructions: body.instructions,
      idempotencyKey: idempotencyKeyFor(req, { actor, proposalId: id, action: 'revise' }),
    });
    res.status(202).json({ proposal });
  });

  return router;
}
