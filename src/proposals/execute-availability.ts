import type { Proposal } from '../domain/proposal.ts';

/** Whether executing a proposal can produce a change, and if not, why: what a surface shows beside a disabled Execute. */
export interface ExecuteAvailability {
  available: boolean;
  /** Why not (when unavailable), or what executing will do (when available): one sentence either way. */
  reason: string;
}

/**
 * What Execute would do with this proposal on this installation. The executor applies a patch, or
 * lets the editing agent (Claude, with an API key) write the change; with neither it can only fail.
 * Learning proposals change knowledge-base answers, never code: Execute publishes the entry the
 * analyzer drafted (knowledge-publishing.ts), and without one there is nothing to publish. Status is not judged here: the lifecycle decides when Execute is offered.
 */
export function executeAvailability(
  proposal: Pick<Proposal, 'type' | 'patch' | 'knowledge'>,
  options: { hasAgent: boolean },
): ExecuteAvailability {
  if (proposal.type === 'learning')
    return proposal.knowledge
      ? {
          available: true,
          reason: `Publishes the answer as knowledge:${proposal.knowledge.category}:${proposal.knowledge.key}; no code changes, and Rollback withdraws it`,
        }
      : {
          available: false,
          reason:
            'No answer that worked was recorded for this topic, so there is no knowledge entry to publish: write one in the knowledge base',
        };
  if (proposal.patch)
    return { available: true, reason: 'Applies the approved patch in a worktree, runs the tests and commits on a new branch' };
  if (options.hasAgent)
    return { available: true, reason: 'Claude writes the change in a worktree; the tests run and it is committed on a new branch' };
  return {
    available: false,
    reason: 'This proposal has no patch and no editing agent is configured (set ANTHROPIC_API_KEY to let Claude write the change)',
  };
}
