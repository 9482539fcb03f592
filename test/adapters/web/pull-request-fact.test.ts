import { describe, expect, it } from 'vitest';
import { proposalDetailPage } from '../../../src/adapters/web/proposal-detail-page.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { makeDraft } from '../../helpers/drafts.ts';

function page(pullRequest: Proposal['pullRequest'], status: Proposal['status'] = 'implemented'): string {
  const at = '2026-12-04T09:00:00.000Z';
  const proposal: Proposal = {
    ...makeDraft(),
    id: 'prop_pr',
    status,
    version: 5,
    createdAt: at,
    updatedAt: at,
    history: [{ version: 5, at, actor: 'github', action: 'pull_request_opened', from: 'implemented', to: status }],
    execution: { branch: 'improvement/prop_pr', commit: 'c0ffee' },
    ...(pullRequest ? { pullRequest } : {}),
  };
  return proposalDetailPage({ viewer: { actor: 'grace', csrf: 'token' }, proposal, canExecute: true, refreshSeconds: 5 }).value;
}

describe('the dashboard proposal page, with a pull request', () => {
  it('links the pull request and says its state, checks and review', () => {
    const body = page({
      host: 'github',
      number: 7,
      url: 'https://github.com/acme/shop/pull/7',
      state: 'open',
      checks: 'test: success',
      review: 'changes_requested',
    });
    expect(body).toContain('<dt>Pull request</dt>');
    expect(body).toContain(
      '<a href="https://github.com/acme/shop/pull/7" rel="noopener noreferrer">#7</a> open · checks: test: success · review: changes requested',
    );
  });

  it('shows no link for a URL that is not http(s), and nothing without a pull request', () => {
    expect(page({ host: 'github', number: 7, url: 'javascript:alert(1)', state: 'merged' }, 'merged')).not.toContain('javascript:');
    expect(page(undefined)).not.toContain('Pull request');
  });
});
