import { DomainError, errorMessage, StoreUnavailable } from '../domain/errors.ts';
import type { Logger } from '../logging.ts';
import type { CodeHost, CodeHostEvent } from '../ports/code-host.ts';
import type { ProposalStore } from '../ports/store.ts';
import type { Revisions } from '../proposals/revisions.ts';
import type { FollowOutcome, PullRequestFollower } from './pull-request-follower.ts';
import { quietMentions } from './pull-request-text.ts';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The instructions of a comment addressed to the app, or null: the comment starts with
 * `@<app name> revise` or `/improve revise`, and everything after it (lines included) is the
 * instructions. Anything else is an ordinary comment.
 */
export function reviseInstructions(body: string, appName: string): string | null {
  const pattern = new RegExp(`^\\s*(?:@${escapeRegExp(appName)}|/improve)\\s+revise(?:\\s+|$)([\\s\\S]*)$`, 'i');
  const match = pattern.exec(body);
  return match ? match[1]!.trim() : null;
}

/**
 * What the webhooks and the poll apply: the follower records every event in the proposal's history
 * first (once per delivery key, so a replayed delivery stops there); a comment or review addressed to
 * the app then asks for a revision, acted on only when its author may push to the repository.
 * Anyone else's request is recorded as ignored and never acted on.
 */
export function createCommentCommands(deps: {
  follower: PullRequestFollower;
  codeHost: CodeHost;
  store: ProposalStore;
  /** Absent: no revisions on this installation; a request is answered on the pull request. */
  revisions?: Revisions;
  appName: string;
  logger: Logger;
}) {
  const { codeHost, store, logger } = deps;
  const host = codeHost.host;

  async function refuse(number: number, proposalId: string, key: string, actor: string, reason: string) {
    await store.note({ id: proposalId, actor, action: 'revision_ignored', reason, idempotencyKey: `${key}:ignored` });
    await codeHost
      .comment(number, `Not revised: ${quietMentions(reason)}`)
      .catch((error: unknown) => logger.warn({ proposalId, err: error }, 'the refusal could not be told on the pull request'));
  }

  return {
    async apply(event: CodeHostEvent): Promise<FollowOutcome & { revision?: 'started' | 'ignored' }> {
      // GitHub's issue_comment names the pull request by number only.
      const known = event.kind === 'comment' && !event.head ? { ...event, head: await codeHost.headOf(event.number) } : event;
      const outcome = await deps.follower.apply(known);
      if (outcome.outcome !== 'applied' || !outcome.proposalId) return outcome;
      if (known.kind !== 'comment' && known.kind !== 'review') return outcome;
      const instructions = reviseInstructions(known.body, deps.appName);
      if (instructions === null) return outcome;
      const actor = `${host}:${known.author}`;
      const key = `${host}:${known.key}:${outcome.proposalId}:revise`;
      let may: boolean;
      try {
        may = await codeHost.hasWriteAccess({ login: known.author, ...(known.authorId !== undefined ? { id: known.authorId } : {}) });
      } catch (error) {
        // The delivery is recorded already (a redelivery would be a duplicate): the history says to ask again.
        logger.warn({ proposalId: outcome.proposalId, err: error }, 'the write access of a revision requester could not be checked');
        await store.note({
          id: outcome.proposalId,
          actor,
          action: 'revision_ignored',
          reason: `The write access of ${known.author} could not be checked (${errorMessage(error).slice(0, 300)}), so the revision request was not acted on; ask again`,
          idempotencyKey: `${key}:ignored`,
        });
        return { ...outcome, revision: 'ignored' };
      }
      if (!may) {
        logger.warn(
          { proposalId: outcome.proposalId, author: known.author },
          'a revision request from someone without write access was ignored',
        );
        // Told in the history only: an answer on the pull request would invite anyone to make the app talk.
        await store.note({
          id: outcome.proposalId,
          actor,
          action: 'revision_ignored',
          reason: `${known.author} has no write access to the repository, so the revision request was not acted on`,
          idempotencyKey: `${key}:ignored`,
        });
        return { ...outcome, revision: 'ignored' };
      }
      if (!deps.revisions) {
        await refuse(known.number, outcome.proposalId, key, actor, 'revising is not set up on this installation');
        return { ...outcome, revision: 'ignored' };
      }
      try {
        await deps.revisions.start({ id: outcome.proposalId, actor, instructions, idempotencyKey: key });
        return { ...outcome, revision: 'started' };
      } catch (error) {
        // A refusal (nothing to revise, no Claude, no instructions) is the commenter's answer; an outage is the webhook's 503.
        if (!(error instanceof DomainError) || error instanceof StoreUnavailable) throw error;
        await refuse(known.number, outcome.proposalId, key, actor, errorMessage(error));
        return { ...outcome, revision: 'ignored' };
      }
    },
  };
}
