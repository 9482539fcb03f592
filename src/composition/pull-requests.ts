import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';
import type { Proposal } from '../domain/proposal.ts';
import type { Logger } from '../logging.ts';
import type { CodeHost, CodeHostEvent } from '../ports/code-host.ts';
import type { ProposalNotifier } from '../ports/notifier.ts';
import { createPullRequestFollower, type FollowOutcome, type PullRequestFollower } from '../pull-requests/pull-request-follower.ts';
import { createPullRequestOpener } from '../pull-requests/pull-request-opener.ts';
import { pollPullRequests } from '../pull-requests/pull-request-poll.ts';
import { createCommentCommands } from '../pull-requests/comment-commands.ts';
import type { RevisionCodeHost, Revisions } from '../proposals/revisions.ts';
import type { ProposalLinks } from '../pull-requests/pull-request-text.ts';
import { slackStateFor } from './slack.ts';
import type { Stores } from './stores.ts';

/** What the root wires when GitHub (a token or an App) or GitLab is configured. */
export interface PullRequestParts {
  /** For the start line. */
  mode: string;
  /** A notifier: opens the pull request when a proposal becomes implemented. */
  opener: ProposalNotifier;
  follower: PullRequestFollower;
  /** `POST /github/webhooks` (GITHUB_WEBHOOK_SECRET) or `POST /gitlab/webhooks` (GITLAB_WEBHOOK_SECRET). */
  webhooks?: RequestHandler;
  /** The polling fallback, scheduled when there is no webhook secret. */
  poll?: { cron: string; run(): Promise<Record<string, number>> };
  /** What a revision needs to update the open pull request and comment on it. */
  revising: RevisionCodeHost;
}

interface BuiltCodeHost {
  codeHost: CodeHost;
  logger: Logger;
  /** With a webhook secret: the route that follows deliveries, and where it listens. */
  webhook?: { path: string; handler(apply: (event: CodeHostEvent) => Promise<FollowOutcome>): Promise<RequestHandler> };
  pollCron: string;
  describe: string;
  appName: string;
}

async function buildGitHub(github: NonNullable<Config['github']>, parent: Logger): Promise<BuiltCodeHost> {
  const logger = parent.child({ component: 'pull-requests', codeHost: 'github' });
  const [{ createGitHubClient }, { createGitHubCodeHost }] = await Promise.all([
    import('../adapters/code-host/github/github-client.ts'),
    import('../adapters/code-host/github/github-code-host.ts'),
  ]);
  const octokit = createGitHubClient({
    auth: github.auth,
    apiUrl: github.apiUrl,
    timeoutMs: github.timeoutMs,
    // GitHub's secondary limits ask for a minute or so; longer waits fail the call and the poll retries.
    maxRateLimitRetries: 3,
    maxRateLimitWaitMs: 120_000,
    logger,
  });
  return {
    codeHost: createGitHubCodeHost(octokit, github.repository),
    logger,
    ...(github.webhookSecret
      ? {
          webhook: {
            path: 'POST /github/webhooks',
            handler: async (apply) =>
              (await import('../adapters/http/github-webhooks.ts')).githubWebhooks({ secret: github.webhookSecret!, apply, logger }),
          },
        }
      : {}),
    pollCron: github.pollCron,
    appName: github.appName,
    describe: `github ${github.repository}${'token' in github.auth ? '' : ' as a GitHub App'}`,
  };
}

async function buildGitLab(gitlab: NonNullable<Config['gitlab']>, parent: Logger): Promise<BuiltCodeHost> {
  const logger = parent.child({ component: 'pull-requests', codeHost: 'gitlab' });
  const { createGitLabCodeHost } = await import('../adapters/code-host/gitlab/gitlab-code-host.ts');
  const codeHost = createGitLabCodeHost({
    token: gitlab.token,
    project: gitlab.project,
    apiUrl: gitlab.apiUrl,
    timeoutMs: gitlab.timeoutMs,
    maxRateLimitRetries: 3,
    maxRateLimitWaitMs: 120_000,
    logger,
  });
  const secret = gitlab.webhookSecret;
  return {
    codeHost,
    logger,
    ...(secret
      ? {
          webhook: {
            path: 'POST /gitlab/webhooks',
            handler: async (apply) => (await import('../adapters/http/gitlab-webhooks.ts')).gitlabWebhooks({ secret, apply, logger }),
          },
        }
      : {}),
    pollCron: gitlab.pollCron,
    appName: gitlab.appName,
    describe: `gitlab ${gitlab.project}`,
  };
}

/** A Slack permalink any member of the workspace can open: the archives URL of the message's ts. */
function slackPermalink(channel: string, ts: string): string {
  return `https://slack.com/archives/${encodeURIComponent(channel)}/p${ts.replace('.', '')}`;
}

/** The code host's client is loaded only here, only when it is configured: without its settings nothing changes. */
export async function buildPullRequests(deps: {
  config: Config;
  stores: Stores;
  notifiers: readonly ProposalNotifier[];
  /** Asked by pull-request comments addressed to the app; absent → such comments are answered as not set up. */
  revisions?: Revisions;
  logger: Logger;
}): Promise<PullRequestParts | undefined> {
  const { config, stores, notifiers } = deps;
  const built = config.github
    ? await buildGitHub(config.github, deps.logger)
    : config.gitlab
      ? await buildGitLab(config.gitlab, deps.logger)
      : undefined;
  if (!built) return undefined;
  const { codeHost, logger, webhook, pollCron, describe, appName } = built;
  const slackState = config.slack ? slackStateFor(config, stores) : undefined;
  const links = async (proposal: Proposal): Promise<ProposalLinks> => {
    const refs = slackState ? await slackState.messageRefs(proposal.id).catch(() => []) : [];
    const ref = refs.find((r) => r.channel === config.slack?.channel) ?? refs[0];
    return {
      ...(ref ? { slack: slackPermalink(ref.channel, ref.ts) } : {}),
      ...(config.publicUrl ? { dashboard: `${config.publicUrl}/proposals/${encodeURIComponent(proposal.id)}` } : {}),
    };
  };
  const opener = createPullRequestOpener({
    codeHost,
    store: stores.job,
    notifiers,
    links,
    ...(config.execution.baseBranch ? { baseBranch: config.execution.baseBranch } : {}),
    logger,
  });
  const follower = createPullRequestFollower({ store: stores.job, notifiers, host: codeHost.host, logger });
  const commands = createCommentCommands({
    follower,
    codeHost,
    store: stores.job,
    ...(deps.revisions ? { revisions: deps.revisions } : {}),
    appName,
    logger,
  });
  const apply = (event: CodeHostEvent) => commands.apply(event);
  return {
    mode: `${describe} (${webhook ? `webhooks at ${webhook.path}` : `polled on "${pollCron}"`})`,
    opener,
    follower,
    revising: { codeHost, links },
    ...(webhook
      ? { webhooks: await webhook.handler(apply) }
      : {
          poll: {
            cron: pollCron,
            run: () => pollPullRequests({ store: stores.job, codeHost, apply, logger }),
          },
        }),
  };
}
