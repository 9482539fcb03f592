import type { Octokit } from '@octokit/rest';
import { ValidationError } from '../../../domain/errors.ts';
import type { CheckSummary, CodeHost, PullRequestReview, PullRequestState } from '../../../ports/code-host.ts';

/** A check run as GET /repos/{owner}/{repo}/commits/{ref}/check-runs lists it (the fields we read). */
interface CheckRun {
  name: string;
  status: string;
  conclusion: string | null;
}

// Collaborator roles that can push to the repository.
const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);

// GitHub's conclusions that let a merge through; anything else finished is a failure to show.
const PASSING = new Set(['success', 'neutral', 'skipped']);

export function summarizeCheckRuns(runs: readonly CheckRun[]): CheckSummary {
  if (runs.length === 0) return { state: 'none', summary: 'no checks' };
  const running = runs.filter((r) => r.status !== 'completed');
  const failed = runs.filter((r) => r.status === 'completed' && !PASSING.has(r.conclusion ?? ''));
  const passed = runs.length - running.length - failed.length;
  const parts = [
    passed ? `${passed} passed` : '',
    failed.length
      ? `${failed.length} failed (${failed
          .map((r) => r.name)
          .slice(0, 3)
          .join(', ')})`
      : '',
    running.length ? `${running.length} running` : '',
  ].filter(Boolean);
  const state = failed.length ? 'failure' : running.length ? 'pending' : 'success';
  return { state, summary: parts.join(', ') };
}

export function parseRepository(repository: string): { owner: string; repo: string } {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository.trim());
  if (!match) throw new ValidationError(`GITHUB_REPOSITORY must be owner/name, not "${repository}"`);
  return { owner: match[1]!, repo: match[2]! };
}

/** The CodeHost port on GitHub's REST API through @octokit/rest (see github-client.ts for timeouts and rate limits). */
export function createGitHubCodeHost(octokit: Octokit, repository: string): CodeHost {
  const { owner, repo } = parseRepository(repository);
  let defaultBranch: string | undefined;

  async function baseBranch(base: string | undefined): Promise<string> {
    if (base) return base;
    defaultBranch ??= (await octokit.rest.repos.get({ owner, repo })).data.default_branch;
    return defaultBranch;
  }

  return {
    host: 'github',

    async openOrUpdatePullRequest(draft) {
      // GitHub filters by `owner:branch`; an open pull request for the branch is updated, never doubled.
      const open = await octokit.rest.pulls.list({ owner, repo, state: 'open', head: `${owner}:${draft.head}`, per_page: 10 });
      const existing = open.data.find((pull) => pull.head.ref === draft.head);
      if (existing) {
        const updated = await octokit.rest.pulls.update({
          owner,
          repo,
          pull_number: existing.number,
          title: draft.title,
          body: draft.body,
        });
        return { number: updated.data.number, url: updated.data.html_url, created: false };
      }
      const created = await octokit.rest.pulls.create({
        owner,
        repo,
        head: draft.head,
        base: await baseBranch(draft.base),
        title: draft.title,
        body: draft.body,
        // Nothing merges without review: the pull request asks for it like any other.
        maintainer_can_modify: false,
      });
      return { number: created.data.number, url: created.data.html_url, created: true };
    },

    async pullRequestState(number): Promise<PullRequestState> {
      const pull = (await octokit.rest.pulls.get({ owner, repo, pull_number: number })).data;
      const [runs, reviews] = await Promise.all([
        octokit.rest.checks.listForRef({ owner, repo, ref: pull.head.sha, per_page: 100 }),
        octokit.rest.pulls.listReviews({ owner, repo, pull_number: number, per_page: 100 }),
      ]);
      return {
        number: pull.number,
        url: pull.html_url,
        state: pull.merged || pull.merged_at ? 'merged' : pull.state === 'closed' ? 'closed' : 'open',
        head: pull.head.ref,
        headSha: pull.head.sha,
        checks: summarizeCheckRuns(runs.data.check_runs),
        reviews: reviews.data.map((review): PullRequestReview => ({
          author: review.user?.login ?? 'unknown',
          state: review.state.toLowerCase(),
          body: review.body ?? '',
          ...(review.submitted_at ? { submittedAt: review.submitted_at } : {}),
        })),
      };
    },

    async updatePullRequest(number, text) {
      await octokit.rest.pulls.update({ owner, repo, pull_number: number, title: text.title, body: text.body });
    },

    async comment(number, body) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body });
    },

    async hasWriteAccess(user) {
      try {
        const answer = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: user.login });
        // `permission` folds maintain into write and triage into read; role_name keeps them apart.
        return WRITE_ROLES.has(answer.data.role_name ?? '') || WRITE_ROLES.has(answer.data.permission);
      } catch (error) {
        // 404: not a collaborator (or no such user); anything else is the caller's error to see.
        if ((error as { status?: number }).status === 404) return false;
        throw error;
      }
    },

    async headOf(number) {
      return (await octokit.rest.pulls.get({ owner, repo, pull_number: number })).data.head.ref;
    },
  };
}
