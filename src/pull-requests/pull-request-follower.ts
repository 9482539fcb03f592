import { isProposalId } from '../domain/ids.ts';
import type { Proposal, PullRequestLink } from '../domain/proposal.ts';
import type { NoteRequest, TransitionRequest } from '../domain/requests.ts';
import type { Logger } from '../logging.ts';
import type { CodeHostEvent } from '../ports/code-host.ts';
import type { ProposalNotifier } from '../ports/notifier.ts';
import type { ProposalStore, TransitionResult } from '../ports/store.ts';
import { notifyAll } from '../proposals/notify-all.ts';

export interface FollowOutcome {
  outcome: 'applied' | 'duplicate' | 'ignored';
  proposalId?: string;
  /** Why an event was ignored, for the webhook's answer and the log. */
  reason?: string;
}

/** Branches the executor pushes are `improvement/<proposal id>`; any other head is not ours. */
export function proposalIdOfBranch(head: string): string | null {
  const id = /^improvement\/(.+)$/.exec(head)?.[1];
  return id && isProposalId(id) ? id : null;
}

function actorOf(event: CodeHostEvent): string {
  if (event.kind === 'review' || event.kind === 'comment') return event.author;
  return event.kind === 'pull_request' ? event.actor : event.name;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Applies what the code host says about an improvement branch's pull request to its proposal: a merge
 * moves implemented → merged; a pull request closed unmerged moves implemented → rolled_back (nothing
 * reached the base branch; the next cycle files the finding again if it persists, a new decision);
 * checks and reviews are history entries. Each is written once per event key, and then told to the
 * notifiers (the proposal's Slack thread). See docs/PULL_REQUESTS.md.
 */
export function createPullRequestFollower(deps: {
  store: ProposalStore;
  notifiers: readonly ProposalNotifier[];
  host: PullRequestLink['host'];
  logger: Logger;
}) {
  const { store, logger, host } = deps;
  const nameOf = (number: number) => (host === 'gitlab' ? `merge request !${number}` : `pull request #${number}`);

  function linkOf(proposal: Proposal, event: { number?: number; url?: string }, extra: Partial<PullRequestLink>): PullRequestLink {
    return {
      host,
      number: event.number ?? proposal.pullRequest?.number ?? 0,
      url: event.url ?? proposal.pullRequest?.url ?? '',
      state: proposal.pullRequest?.state ?? 'open',
      ...(proposal.pullRequest?.checks ? { checks: proposal.pullRequest.checks } : {}),
      ...(proposal.pullRequest?.review ? { review: proposal.pullRequest.review } : {}),
      ...extra,
    };
  }

  /** The write an event asks for, or null when it changes nothing the proposal follows. */
  function writeFor(proposal: Proposal, event: CodeHostEvent, key: string): { move?: TransitionRequest; note?: NoteRequest } | null {
    const base = {
      id: proposal.id,
      actor: `${host}:${actorOf(event)}`,
      idempotencyKey: key,
    };
    if (event.kind === 'pull_request') {
      const pullRequest = linkOf(proposal, event, { state: event.state });
      if (event.state === 'merged' && proposal.status === 'implemented')
        return { move: { ...base, to: 'merged', reason: `${nameOf(event.number)} was merged`, changes: { pullRequest } } };
      if (event.state === 'closed' && proposal.status === 'implemented')
        return {
          move: {
            ...base,
            to: 'rolled_back',
            reason: `${nameOf(event.number)} was closed without merging; the next cycle files the finding again if it persists`,
            changes: { pullRequest },
          },
        };
      if (proposal.pullRequest?.state === event.state) return null;
      return {
        note: {
          ...base,
          action: `pull_request_${event.state === 'open' ? 'reopened' : event.state}`,
          reason: `#${event.number}`,
          changes: { pullRequest },
        },
      };
    }
    if (event.kind === 'checks') {
      if (event.state === 'pending') return null;
      const summary = clip(`${event.name}: ${event.summary}`, 300);
      return {
        note: { ...base, action: 'checks_completed', reason: summary, changes: { pullRequest: linkOf(proposal, {}, { checks: summary }) } },
      };
    }
    if (event.kind === 'comment')
      return {
        note: {
          ...base,
          action: 'review_comment',
          reason: `${event.author}${event.path ? ` on ${event.path}` : ''}: ${clip(event.body, 1500)}`,
        },
      };
    const said = event.body.trim() ? `: ${clip(event.body, 1500)}` : '';
    return {
      note: {
        ...base,
        action: 'review_submitted',
        reason: `${event.author} ${event.state.replace('_', ' ')}${said}`,
        changes: { pullRequest: linkOf(proposal, event, { review: event.state }) },
      },
    };
  }

  return {
    async apply(event: CodeHostEvent): Promise<FollowOutcome> {
      const proposalId = proposalIdOfBranch(event.head);
      if (!proposalId) return { outcome: 'ignored', reason: `${event.head} is not an improvement branch` };
      const proposal = await store.get(proposalId);
      if (!proposal) return { outcome: 'ignored', proposalId, reason: `no proposal ${proposalId}` };
      const write = writeFor(proposal, event, `${host}:${event.key}:${proposalId}`);
      if (!write) return { outcome: 'ignored', proposalId, reason: 'nothing the proposal follows changed' };
      const result: TransitionResult = write.move ? await store.transition(write.move) : await store.note(write.note!);
      if (result.outcome === 'duplicate') return { outcome: 'duplicate', proposalId };
      const entry = result.proposal.history.at(-1)!;
      logger.info({ proposalId, action: entry.action, key: event.key }, 'code host event recorded');
      await notifyAll(deps.notifiers, result.proposal, { action: entry.action, actor: entry.actor }, logger);
      return { outcome: 'applied', proposalId };
    },
  };
}

export type PullRequestFollower = ReturnType<typeof createPullRequestFollower>;
