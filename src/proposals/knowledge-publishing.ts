import { ValidationError } from '../domain/errors.ts';
import type { Proposal } from '../domain/proposal.ts';
import type { ProposalStore, TransitionResult } from '../ports/store.ts';
import { executeAvailability } from './execute-availability.ts';

/**
 * Executing a learning proposal: it publishes the knowledge entry the analyzer drafted (the answer
 * that worked for a topic) as `knowledge:<category>:<key>`, and rolling it back withdraws that entry.
 * Code, worktrees and the executor play no part, so it works on any installation, executor or not.
 * The moves are the same store transitions as a code change's (approved → executing → implemented,
 * implemented → rolled_back), idempotent by the caller's key.
 */

export interface KnowledgePublishingDeps {
  store: ProposalStore;
  /** Told after each move was applied, as every decision tells its notifiers. */
  moved: (result: TransitionResult, actor: string) => void;
  now?: () => Date;
}

interface Request {
  actor: string;
  idempotencyKey: string;
}

export async function publishKnowledge(proposal: Proposal, request: Request, deps: KnowledgePublishingDeps): Promise<Proposal> {
  const entry = proposal.knowledge;
  if (!entry) throw new ValidationError(executeAvailability(proposal, { hasAgent: false }).reason);
  const now = deps.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const started = await deps.store.transition({
    id: proposal.id,
    to: 'executing',
    actor: request.actor,
    idempotencyKey: request.idempotencyKey,
    expectedStatus: 'approved',
    expectedVersion: proposal.version,
    changes: { execution: { startedAt } },
  });
  if (started.outcome === 'duplicate') return started.proposal;
  deps.moved(started, request.actor);
  const published = { category: entry.category, key: entry.key };
  const finish = async (to: 'implemented' | 'failed', reason: string, error?: string) => {
    const result = await deps.store.transition({
      id: proposal.id,
      to,
      actor: 'executor',
      idempotencyKey: `${request.idempotencyKey}:${to}`,
      expectedStatus: 'executing',
      expectedVersion: started.proposal.version,
      reason,
      changes: { execution: { startedAt, finishedAt: now().toISOString(), ...(error ? { error } : { published }) } },
    });
    deps.moved(result, 'executor');
    return result.proposal;
  };
  try {
    await deps.store.putKnowledge({
      category: entry.category,
      key: entry.key,
      content: { ...entry.content, proposalId: proposal.id, publishedBy: request.actor },
      createdAt: startedAt,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return finish('failed', `could not publish knowledge:${entry.category}:${entry.key}`, message.slice(0, 2000));
  }
  return finish('implemented', `published knowledge:${entry.category}:${entry.key} (no code changed)`);
}

/**
 * Withdraws the entry this proposal published. An entry at that key that another proposal or a
 * later cycle wrote since is theirs, not this proposal's: it stays, and the history says so.
 */
export async function withdrawKnowledge(
  proposal: Proposal,
  request: Request & { reason: string },
  deps: KnowledgePublishingDeps,
): Promise<Proposal> {
  const published = proposal.execution?.published;
  let plan = 'nothing was published';
  if (published) {
    const name = `knowledge:${published.category}:${published.key}`;
    const current = await deps.store.getKnowledge(published.category, published.key);
    if (!current) plan = `${name} was already gone`;
    else if (current.content['proposalId'] !== proposal.id) plan = `${name} was replaced since and stays`;
    else {
      await deps.store.deleteKnowledge(published.category, published.key);
      plan = `withdrew ${name}`;
    }
  }
  const result = await deps.store.transition({
    id: proposal.id,
    to: 'rolled_back',
    actor: request.actor,
    idempotencyKey: request.idempotencyKey,
    expectedStatus: 'implemented',
    expectedVersion: proposal.version,
    reason: `${request.reason} (rollback: ${plan})`.slice(0, 2000),
  });
  deps.moved(result, request.actor);
  return result.proposal;
}
