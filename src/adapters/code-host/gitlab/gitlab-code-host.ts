import { CodeHostError } from '../../../domain/errors.ts';
import type { Logger } from '../../../logging.ts';
import type { CheckSummary, CodeHost, PullRequestReview, PullRequestState } from '../../../ports/code-host.ts';

export interface GitLabSettings {
  token: string;
  /** GITLAB_PROJECT: `group/name` or the numeric id. */
  project: string;
  /** GITLAB_API_URL: https://gitlab.com/api/v4, a self-managed instance's, or a test's fake. */
  apiUrl: string;
  timeoutMs: number;
  maxRateLimitRetries: number;
  maxRateLimitWaitMs: number;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
}

interface MergeRequest {
  iid: number;
  web_url: string;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  source_branch: string;
  sha: string;
}

interface Pipeline {
  status: string;
}

interface Note {
  body: string;
  system: boolean;
  created_at: string;
  author: { username: string };
}

/** GitLab's access level of a Developer, the first that can push branches. */
const DEVELOPER = 30;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// GitLab pipeline statuses that are still on their way.
const RUNNING = new Set(['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'scheduled']);

export function summarizePipeline(pipeline: Pipeline | undefined): CheckSummary {
  if (!pipeline) return { state: 'none', summary: 'no pipeline' };
  if (RUNNING.has(pipeline.status)) return { state: 'pending', summary: `pipeline ${pipeline.status}` };
  const passed = pipeline.status === 'success' || pipeline.status === 'skipped';
  return { state: passed ? 'success' : 'failure', summary: `pipeline ${pipeline.status}` };
}

/**
 * The CodeHost port on GitLab merge requests, over its REST API (v4) with fetch: `PRIVATE-TOKEN`
 * auth, a timeout per call, 429 answers retried after `Retry-After` (or `RateLimit-Reset`), bounded.
 * Followed by polling; GitLab webhooks are not read yet.
 */
export function createGitLabCodeHost(settings: GitLabSettings): CodeHost {
  const sleep = settings.sleep ?? sleepFor;
  const apiUrl = settings.apiUrl.replace(/\/+$/, '');
  const base = `${apiUrl}/projects/${encodeURIComponent(settings.project)}`;
  let defaultBranch: string | undefined;

  async function call<T>(method: string, route: string, body?: unknown): Promise<T> {
    // A route starting with "@" is instance-wide (`@/users`), not under the project.
    const url = route.startsWith('@') ? `${apiUrl}${route.slice(1)}` : `${base}${route}`;
    const what = `${method} ${route.split('?')[0]}`;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: { 'private-token': settings.token, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(settings.timeoutMs),
        });
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError';
        throw new CodeHostError(
          timedOut
            ? `GitLab did not answer ${what} within ${settings.timeoutMs} ms`
            : `GitLab could not be reached on ${what}: ${(error as Error).message}`,
        );
      }
      if (res.status === 429) {
        const retryAfter = Number(res.headers.get('retry-after'));
        const reset = Number(res.headers.get('ratelimit-reset'));
        const waitMs =
          Number.isFinite(retryAfter) && res.headers.has('retry-after')
            ? retryAfter * 1000
            : Number.isFinite(reset)
              ? Math.max(0, reset * 1000 - Date.now())
              : 60_000;
        if (attempt >= settings.maxRateLimitRetries || waitMs > settings.maxRateLimitWaitMs)
          throw new CodeHostError(
            `GitLab rate-limited ${what} (429); ${attempt} retries made, the next would wait ${Math.ceil(waitMs / 1000)} s`,
            429,
          );
        settings.logger.warn({ codeHost: 'gitlab', call: what, waitMs }, 'GitLab rate limit: waiting as asked');
        await sleep(waitMs);
        continue;
      }
      const text = await res.text();
      if (!res.ok) {
        let message = text.slice(0, 300);
        try {
          const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
          message = JSON.stringify(parsed.message ?? parsed.error ?? parsed);
        } catch {
          // Not JSON (a proxy's page): its start says enough.
        }
        throw new CodeHostError(`GitLab answered ${res.status} on ${what}: ${message}`, res.status);
      }
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new CodeHostError(`GitLab answered ${what} with something that is not JSON`, res.status);
      }
    }
  }

  return {
    host: 'gitlab',

    async openOrUpdatePullRequest(draft) {
      const open = await call<MergeRequest[]>('GET', `/merge_requests?state=opened&source_branch=${encodeURIComponent(draft.head)}`);
      const existing = open.find((mr) => mr.source_branch === draft.head);
      if (existing) {
        const updated = await call<MergeRequest>('PUT', `/merge_requests/${existing.iid}`, { title: draft.title, description: draft.body });
        return { number: updated.iid, url: updated.web_url, created: false };
      }
      defaultBranch ??= draft.base ?? (await call<{ default_branch: string }>('GET', '')).default_branch;
      const created = await call<MergeRequest>('POST', '/merge_requests', {
        source_branch: draft.head,
        target_branch: draft.base ?? defaultBranch,
        title: draft.title,
        description: draft.body,
        remove_source_branch: false,
      });
      return { number: created.iid, url: created.web_url, created: true };
    },

    async pullRequestState(number): Promise<PullRequestState> {
      const mr = await call<MergeRequest>('GET', `/merge_requests/${number}`);
      const [pipelines, notes] = await Promise.all([
        call<Pipeline[]>('GET', `/merge_requests/${number}/pipelines`),
        call<Note[]>('GET', `/merge_requests/${number}/notes?sort=asc&order_by=created_at&per_page=100`),
      ]);
      return {
        number: mr.iid,
        url: mr.web_url,
        state: mr.state === 'merged' ? 'merged' : mr.state === 'opened' ? 'open' : 'closed',
        head: mr.source_branch,
        headSha: mr.sha,
        // GitLab lists pipelines newest first.
        checks: summarizePipeline(pipelines[0]),
        reviews: notes
          .filter((note) => !note.system)
          .map((note): PullRequestReview => ({
            author: note.author.username,
            state: 'commented',
            body: note.body,
            submittedAt: note.created_at,
          })),
      };
    },

    async updatePullRequest(number, text) {
      await call('PUT', `/merge_requests/${number}`, { title: text.title, description: text.body });
    },

    async comment(number, body) {
      await call('POST', `/merge_requests/${number}/notes`, { body });
    },

    async hasWriteAccess(user) {
      try {
        let id = user.id;
        if (id === undefined) {
          const found = await call<{ id: number; username: string }[]>('GET', `@/users?username=${encodeURIComponent(user.login)}`);
          id = found.find((u) => u.username === user.login)?.id;
          if (id === undefined) return false;
        }
        // members/all counts inherited membership (the group's developers too).
        const member = await call<{ access_level: number }>('GET', `/members/all/${id}`);
        return member.access_level >= DEVELOPER;
      } catch (error) {
        if (error instanceof CodeHostError && error.status === 404) return false;
        throw error;
      }
    },

    async headOf(number) {
      return (await call<MergeRequest>('GET', `/merge_requests/${number}`)).source_branch;
    },
  };
}
