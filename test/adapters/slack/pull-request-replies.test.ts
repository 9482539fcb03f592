import { describe, expect, it } from 'vitest';
import { renderExecutionReply } from '../../../src/adapters/slack/delivery/execution-thread.ts';
import { renderProposalMessage } from '../../../src/adapters/slack/views/proposal-message.ts';
import { pullRequestLine, safeLink } from '../../../src/adapters/slack/views/pull-request-line.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { makeDraft } from '../../helpers/drafts.ts';

function withPullRequest(action: string, reason: string, overrides: Partial<Proposal> = {}): Proposal {
  const at = '2026-12-04T10:00:00.000Z';
  return {
    ...makeDraft(),
    id: 'prop_pr',
    status: 'implemented',
    version: 5,
    createdAt: at,
    updatedAt: at,
    history: [{ version: 5, at, actor: 'github:ana', action, from: 'implemented', to: 'implemented', reason }],
    pullRequest: { host: 'github', number: 7, url: 'https://github.com/acme/shop/pull/7', state: 'open', checks: 'test: success' },
    ...overrides,
  };
}

const textOf = (message: { blocks: unknown[] }) => JSON.stringify(message.blocks);

describe('pull-request news in Slack', () => {
  it('replies in the thread for a review, with what the reviewer said and the pull request line', () => {
    const reply = renderExecutionReply(
      withPullRequest('review_submitted', 'ana changes requested: <!channel> rename it'),
      'review_submitted',
      'github:ana',
    );
    expect(reply?.text).toBe('Review');
    expect(textOf(reply!)).toContain('Pull request <https://github.com/acme/shop/pull/7|#7> · open · checks: test: success');
    // What a reviewer wrote cannot ping the channel.
    expect(textOf(reply!)).not.toContain('<!channel>');
  });

  it('replies for an opened pull request, finished checks and a merge, and not for unknown actions', () => {
    expect(renderExecutionReply(withPullRequest('pull_request_opened', '#7'), 'pull_request_opened', 'github')?.text).toBe(
      'Pull request opened',
    );
    expect(renderExecutionReply(withPullRequest('checks_completed', 'test: failure'), 'checks_completed', 'github')?.text).toBe(
      'Checks finished',
    );
    expect(
      renderExecutionReply(withPullRequest('merged', 'pull request #7 was merged', { status: 'merged' }), 'merged', 'github')?.text,
    ).toBe('Merged');
    expect(renderExecutionReply(withPullRequest('labelled', ''), 'labelled', 'github')).toBeNull();
  });

  it('replies once for a revision, applied or not, with its reason', () => {
    const revised = renderExecutionReply(withPullRequest('revised', 'Shorter comment. Trial passed: 3 passed.'), 'revised', 'slack:U1');
    expect(revised?.text).toBe('Patch revised');
    expect(textOf(revised!)).toContain('Trial passed: 3 passed.');
    const failed = renderExecutionReply(
      withPullRequest('revision_failed', 'The revised patch failed its trial: tests failed (exit 1).'),
      'revision_failed',
      'slack:U1',
    );
    expect(failed?.text).toBe('The revision was not applied');
    expect(textOf(failed!)).toContain('failed its trial');
  });

  it('shows the pull request on the proposal message and a merged status', () => {
    const message = renderProposalMessage(withPullRequest('merged', 'pull request #7 was merged', { status: 'merged' }));
    expect(textOf(message)).toContain('<https://github.com/acme/shop/pull/7|#7>');
    expect(textOf(message)).toContain(':twisted_rightwards_arrows: Merged');
  });

  it('links only http(s) URLs that cannot break out of the link', () => {
    expect(safeLink('javascript:alert(1)', '#1')).toBe('#1');
    expect(safeLink('https://x.example/a|<!here>', '#1')).toBe('#1');
    expect(pullRequestLine({ host: 'gitlab', number: 3, url: 'https://gitlab.example/a/b/-/merge_requests/3', state: 'merged' })).toBe(
      'Merge request <https://gitlab.example/a/b/-/merge_requests/3|#3> · merged',
    );
  });
});
