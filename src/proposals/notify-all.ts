import type { ChangeOutcome } from '../domain/outcome.ts';
import type { Proposal } from '../domain/proposal.ts';
import type { Logger } from '../logging.ts';
import type { ProposalNotifier } from '../ports/notifier.ts';

/**
 * Tells every notifier of a stored change, all at once. Never rejects: a notifier's failure is logged
 * with what still holds (`stands`, e.g. "the change itself stands"), because a view that could not
 * re-render must never undo or fail the change it shows.
 */
export function notifyAll(
  notifiers: readonly ProposalNotifier[] | undefined,
  proposal: Proposal,
  change: { action: string; actor: string },
  logger: Logger,
  stands = 'the change itself stands',
): Promise<void> {
  return Promise.all(
    (notifiers ?? []).map((notifier) =>
      notifier.proposalChanged(proposal, change).catch((error: unknown) => {
        logger.warn({ err: error, proposalId: proposal.id }, `a notifier failed; ${stands}`);
      }),
    ),
  ).then(() => undefined);
}

/** Tells every notifier that listens for them of a change's before/after verdict; never rejects. */
export function tellOutcome(
  notifiers: readonly ProposalNotifier[] | undefined,
  proposal: Proposal,
  outcome: ChangeOutcome,
  logger: Logger,
): Promise<void> {
  return Promise.all(
    (notifiers ?? []).map((notifier) =>
      notifier.changeOutcome?.(proposal, outcome).catch((error: unknown) => {
        logger.warn({ err: error, proposalId: proposal.id }, 'a notifier failed to show a change outcome; the outcome is recorded');
      }),
    ),
  ).then(() => undefined);
}
