import type { Proposal } from '../domain/proposal.ts';
import type { Logger } from '../logging.ts';
import type { CodeHost, CodeHostEvent, PullRequestState } from '../ports/code-host.ts';
import type { ProposalStore } from '../ports/store.ts';
import type { FollowOutcome } from './pull-request-follower.ts';

/** Implemented proposals read per page; a poll walks every page. */
const PAGE = 200;

async function implementedWithOpenPullRequests(store: ProposalStore): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.list({ status: 'implemented', limit: PAGE, offset });
    ids.push(...page.items.filter((p) => p.pullRequest?.state === 'open').map((p) => p.id));
    if (offset + PAGE >= page.total) return ids;
  }
}

/**
 * What a poll saw, as the events a webhook would have carried, keyed by what was seen (so a second
 * poll that sees the same thing applies nothing). Reviews count when submitted after the last one
 * recorded, so a review is not recorded again once the store forgot its key.
 */
export function eventsFromState(proposal: Proposal, state: PullRequestState): CodeHostEvent[] {
  const events: CodeHostEvent[] = [];
  const head = state.head;
  const lastReview = proposal.history.filter((h) => h.action === 'review_submitted' || h.action.startsWith('pull_request_')).at(-1)?.at;
  // As times, not strings: hosts write seconds (GitHub) or milliseconds with an offset (GitLab). A
  // review in the very millisecond of the last entry counts; its key keeps it from counting twice.
  const since = lastReview ? Date.parse(lastReview) : Number.NEGATIVE_INFINITY;
  for (const review of state.reviews) {
    if (!review.submittedAt || Date.parse(review.submittedAt) < since || review.state === 'pending') continue;
    events.push({
      kind: 'review',
      key: `poll:${state.number}:review:${review.author}:${review.submittedAt}`,
      head,
      number: state.number,
      author: review.author,
      state: review.state,
      body: review.body,
    });
  }
  const seenChecks = proposal.pullRequest?.checks;
  if (state.checks.state !== 'pending' && state.checks.state !== 'none' && seenChecks !== `checks: ${state.checks.summary}`)
    events.push({
      kind: 'checks',
      key: `poll:${state.number}:checks:${state.headSha}:${state.checks.summary}`,
      head,
      name: 'checks',
      state: state.checks.state,
      summary: state.checks.summary,
    });
  if (state.state !== 'open')
    events.push({
      kind: 'pull_request',
      key: `poll:${state.number}:${state.state}`,
      head,
      number: state.number,
      url: state.url,
      state: state.state,
      actor: 'poll',
    });
  return events;
}

/**
 * The fallback when no webhook secret is set: reads each open pull request of an implemented
 * proposal and applies what changed through the same follower a webhook uses. A pull request the
 * host cannot answer for is counted and left for the next poll.
 */
export async function pollPullRequests(deps: {
  store: ProposalStore;
  codeHost: CodeHost;
  apply: (event: CodeHostEvent) => Promise<FollowOutcome>;
  logger: Logger;
}): Promise<{ polled: number; applied: number; failed: number }> {
  const counts = { polled: 0, applied: 0, failed: 0 };
  for (const id of await implementedWithOpenPullRequests(deps.store)) {
    const proposal = await deps.store.get(id);
    if (!proposal?.pullRequest) continue;
    counts.polled += 1;
    try {
      const state = await deps.codeHost.pullRequestState(proposal.pullRequest.number);
      for (const event of eventsFromState(proposal, state)) {
        if ((await deps.apply(event)).outcome === 'applied') counts.applied += 1;
      }
    } catch (error) {
      counts.failed += 1;
      deps.logger.warn({ proposalId: id, err: error }, 'polling the pull request failed; the next poll tries again');
    }
  }
  return counts;
}
