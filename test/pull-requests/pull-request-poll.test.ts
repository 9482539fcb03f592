import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../src/domain/proposal.ts';
import type { PullRequestState } from '../../src/ports/code-host.ts';
import { eventsFromState } from '../../src/pull-requests/pull-request-poll.ts';

const OPENED_AT = '2026-12-06T22:00:00.500Z';

// Only the fields eventsFromState reads: the history and the pull request's last seen checks.
const proposal = {
  history: [{ action: 'pull_request_opened', at: OPENED_AT, actor: 'gitlab' }],
  pullRequest: { host: 'gitlab', number: 7, url: 'https://gitlab.example/mr/7', state: 'open' },
} as unknown as Proposal;

function stateWith(reviews: PullRequestState['reviews']): PullRequestState {
  return {
    number: 7,
    url: 'https://gitlab.example/mr/7',
    state: 'open',
    head: 'improvement/x',
    headSha: 'abc',
    checks: { state: 'none', summary: '' },
    reviews,
  };
}

describe('the events a pull-request poll reads from what it saw', () => {
  it('counts reviews from the millisecond of the last recorded entry on, whatever way the host writes the time', () => {
    const events = eventsFromState(
      proposal,
      stateWith([
        { author: 'early', state: 'commented', body: 'before it was opened', submittedAt: '2026-12-06T22:00:00Z' },
        { author: 'tied', state: 'commented', body: 'in the same millisecond', submittedAt: '2026-12-06T23:00:00.500+01:00' },
        { author: 'later', state: 'approved', body: 'after', submittedAt: '2026-12-06T22:00:01Z' },
        { author: 'drafting', state: 'pending', body: 'not submitted', submittedAt: '2026-12-06T22:00:02Z' },
      ]),
    );
    expect(events.filter((e) => e.kind === 'review').map((e) => e.author)).toEqual(['tied', 'later']);
  });
});
