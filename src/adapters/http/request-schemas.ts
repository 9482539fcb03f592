import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../domain/errors.ts';
import { isProposalId } from '../../domain/ids.ts';
import { PROPOSAL_TYPES, STATUSES } from '../../domain/proposal.ts';
import { CYCLE_TYPES } from '../../ports/analyzer.ts';
import { LIST_SORTS } from '../../ports/store.ts';

/**
 * The seed's list query, plus `q` (words to find in the title or summary). Repeated parameters
 * arrive as arrays and fail, as they should. An empty `q=` (a cleared search box) means no search.
 */
export const listQuerySchema = z.object({
  status: z.enum(STATUSES).optional(),
  type: z.enum(PROPOSAL_TYPES).optional(),
  q: z
    .string()
    .max(200)
    .optional()
    .transform((q) => q?.trim() || undefined),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  /** The store's orders (ListQuery.sort): newest first by default, or `status` for pending first. */
  sort: z.enum(LIST_SORTS).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
});

const expectedVersion = z.number().int().min(1).optional();

export const approveBodySchema = z.object({
  autoExecute: z.boolean().optional(),
  expectedVersion,
});

export const rejectBodySchema = z.object({
  reason: z.string().trim().min(1, 'a rejection needs a reason').max(2000),
  expectedVersion,
});

export const executeBodySchema = z.object({ expectedVersion });

export const rollbackBodySchema = z.object({
  reason: z.string().trim().min(1, 'a rollback needs a reason').max(2000),
  expectedVersion,
});

export const reviseBodySchema = z.object({
  instructions: z.string().trim().min(1, 'a revision needs instructions').max(2000),
});

/** `{type}` of the analyze route: a cycle type, or the name of one analyzer (run alone, as in a full cycle). */
export function analyzeBodySchema(analyzerNames: readonly string[]) {
  return z.object({
    type: z
      .string()
      .default('full')
      .refine((t) => (CYCLE_TYPES as readonly string[]).includes(t) || analyzerNames.includes(t), {
        message: `must be one of ${[...CYCLE_TYPES, ...analyzerNames].join(', ')}`,
      }),
    /** The time the cycle treats as now (ISO 8601), as the CLI's --as-of. */
    asOf: z.iso.datetime({ offset: true }).optional(),
  });
}

/** A missing body (no JSON content type, or none at all) reads as `{}`, so optional fields stay optional. */
export function bodyOf(req: Request): unknown {
  return req.body === undefined ? {} : req.body;
}

export function proposalIdParam(req: Request): string {
  const id = req.params.id;
  if (!isProposalId(id)) throw new ValidationError('The proposal id is not well formed');
  return id;
}

/** Printable ASCII, as RFC 9110 field values allow; the length keeps store keys small. */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,200}$/;

/**
 * The store's idempotency key for one API decision. A client's `Idempotency-Key` is scoped to the
 * caller, the proposal and the action, so a key reused by another client, or for another proposal,
 * cannot turn that request into a silent "duplicate". Without the header every request is new.
 */
export function idempotencyKeyFor(req: Request, scope: { actor: string; proposalId: string; action: string }): string {
  const given = req.get('idempotency-key');
  if (given === undefined) return `api:${randomUUID()}`;
  if (!IDEMPOTENCY_KEY.test(given)) {
    throw new ValidationError('Idempotency-Key must be 1 to 200 printable ASCII characters');
  }
  return `${scope.actor}:${scope.proposalId}:${scope.action}:${given}`;
}
