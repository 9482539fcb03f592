import { errorMessage } from '../domain/errors.ts';
import type { Proposal } from '../domain/proposal.ts';
import type { Logger } from '../logging.ts';
import type { CodeHost } from '../ports/code-host.ts';
import type { ProposalNotifier } from '../ports/notifier.ts';
import type { ProposalStore } from '../ports/store.ts';
import { notifyAll } from '../proposals/notify-all.ts';
import { pullRequestBody, pullRequestTitle, quietMentions, type ProposalLinks } from './pull-request-text.ts';

export interface PullRequestOpenerDeps {
  codeHost: CodeHost;
  store: ProposalStore;
  /** Told of the pull request once it is recorded (the Slack thread); the opener skips itself. */
  notifiers: readonly ProposalNotifier[];
  links: (proposal: Proposal) => Promise<ProposalLinks>;
  /** BASE_BRANCH; absent → the repository's default branch. */
  baseBranch?: string;
  logger: Logger;
}

/**
 * Opens (or updates) the pull request of a change once it is implemented and pushed, and records it
 * on the proposal (a `pull_request_opened` history entry and the `pullRequest` field). It follows
 * the store like any notifier, so every surface's execution leads here. A code host that fails is
 * recorded as `pull_request_failed`: the implemented change stands, and the branch is on the remote.
 */
export function createPullRequestOpener(deps: PullRequestOpenerDeps): ProposalNotifier {
  const { codeHost, store, logger } = deps;
  // One opening per proposal at a time: two racing tellings would both find no pull request and open two.
  const opening = new Map<string, Promise<void>>();

  async function open(proposal: Proposal, branch: string, commit: string): Promise<void> {
    const others = deps.notifiers.filter((n) => n !== self);
    // One record per pushed commit: a re-told change never records (or announces) twice.
    const idempotencyKey = `pull-request:${proposal.id}:${commit}`;
    try {
      const opened = await codeHost.openOrUpdatePullRequest({
        head: branch,
        ...(deps.baseBranch ? { base: deps.baseBranch } : {}),
        title: pullRequestTitle(proposal),
        body: pullRequestBody(proposal, await deps.links(proposal)),
      });
      const action = opened.created ? 'pull_request_opened' : 'pull_request_updated';
      const noted = await store.note({
        id: proposal.id,
        actor: codeHost.host,
        action,
        reason: `#${opened.number} ${opened.url}`,
        idempotencyKey,
        changes: { pullRequest: { host: codeHost.host, number: opened.number, url: opened.url, state: 'open' } },
      });
      logger.info({ proposalId: proposal.id, pullRequest: opened.number, created: opened.created }, 'pull request recorded');
      if (noted.outcome === 'applied') await notifyAll(others, noted.proposal, { action, actor: codeHost.host }, logger);
    } catch (error) {
      logger.warn({ proposalId: proposal.id, err: error }, 'the pull request could not be opened; the change stands on its branch');
      const noted = await store.note({
        id: proposal.id,
        actor: codeHost.host,
        action: 'pull_request_failed',
        reason: errorMessage(error).slice(0, 2000),
        idempotencyKey: `${idempotencyKey}:failed`,
      });
      if (noted.outcome === 'applied')
        await notifyAll(others, noted.proposal, { action: 'pull_request_failed', actor: codeHost.host }, logger);
    }
  }

  /**
   * A change rolled back from Slack or the dashboard: reviewers on the pull request hear why. The
   * executor deletes the unmerged branch, which closes the pull request on the host.
   */
  async function tellRollback(proposal: Proposal, actor: string): Promise<void> {
    const pr = proposal.pullRequest;
    if (!pr || pr.state !== 'open' || actor.startsWith(`${codeHost.host}:`)) return;
    const reason = proposal.history.at(-1)?.reason ?? '';
    await codeHost
      .comment(pr.number, `Rolled back in improvement-loop by ${quietMentions(actor)}${reason ? `: ${quietMentions(reason)}` : ''}`)
      .catch((error: unknown) =>
        logger.warn({ proposalId: proposal.id, err: error }, 'the rollback could not be told on the pull request'),
      );
  }

  const self: ProposalNotifier = {
    proposalChanged(proposal, change) {
      if (change.action === 'rolled_back') return tellRollback(proposal, change.actor);
      const branch = proposal.execution?.branch;
      const commit = proposal.execution?.commit;
      if (change.action !== 'implemented' || !branch || !commit) return Promise.resolve();
      // The executor merged it itself (ALLOW_PRODUCTION_DEPLOY with REQUIRE_REVIEW=false): nothing is left to review.
      if (proposal.history.at(-1)?.reason?.startsWith('merged into ')) return Promise.resolve();
      const next = (opening.get(proposal.id) ?? Promise.resolve()).then(() => open(proposal, branch, commit));
      const settled = next.catch(() => undefined);
      opening.set(proposal.id, settled);
      void settled.then(() => opening.get(proposal.id) === settled && opening.delete(proposal.id));
      return next;
    },
  };
  return self;
}
