import { createHash, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for GitHub's REST API at the wire, on 127.0.0.1: the endpoints the code host adapter
 * calls (repository, pulls list/create/update/get, reviews, issue comments, check-runs and check-suites
 * for a ref) with GitHub's JSON shapes, its 401/404/422 error bodies and its rate-limit answers (403
 * or 429 with x-ratelimit-* or retry-after headers). Tests point the real @octokit/rest at `baseUrl`.
 */

export interface FakePull {
  id: number;
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  html_url: string;
  url: string;
  head: { ref: string; sha: string; label: string };
  base: { ref: string; label: string };
  merged: boolean;
  merged_at: string | null;
  user: { login: string };
  draft: boolean;
  created_at: string;
  updated_at: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  html_url: string;
}

export interface FakeReview {
  id: number;
  user: { login: string };
  body: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  submitted_at: string;
  html_url: string;
}

export interface RecordedGitHubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: any;
}

export interface FakeGitHub {
  baseUrl: string;
  owner: string;
  repo: string;
  requests: RecordedGitHubRequest[];
  pulls: FakePull[];
  comments: { issue: number; body: string }[];
  /** The next `count` requests are refused with a rate limit of this kind. */
  rateLimitNext(count: number, kind: 'secondary' | 'primary', waitSeconds?: number): void;
  /** Every answer waits this long first (timeouts). */
  delayMs: number;
  addCheckRun(sha: string, run: Pick<FakeCheckRun, 'name' | 'status' | 'conclusion'>): FakeCheckRun;
  addReview(number: number, review: { login: string; state: FakeReview['state']; body?: string }): FakeReview;
  /** A collaborator's role (GET /repos/{owner}/{repo}/collaborators/{username}/permission); anyone else reads as `read`. */
  setPermission(login: string, role: 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'server-error'): void;
  merge(number: number): FakePull;
  close(number: number): FakePull;
  stop(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';

function sha(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** A GitHub App the fake knows: installation tokens are handed out for a JWT signed with its key (RS256, iss = id). */
export interface FakeGitHubApp {
  id: string;
  publicKey: KeyObject;
  installationId: number;
}

/** Checks a GitHub App JWT as GitHub does: RS256 signature, issuer, not expired, at most 10 minutes long. */
function validAppJwt(jwt: string, app: FakeGitHubApp): boolean {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return false;
  const ok = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), app.publicKey, Buffer.from(signature, 'base64url'));
  if (!ok) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number; iat?: number };
  const now = Math.floor(Date.now() / 1000);
  return String(claims.iss) === app.id && (claims.exp ?? 0) > now && (claims.exp ?? 0) - (claims.iat ?? 0) <= 660;
}

export async function startFakeGitHub(
  options: { token?: string; owner?: string; repo?: string; app?: FakeGitHubApp } = {},
): Promise<FakeGitHub & { installationTokens: string[] }> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'shop';
  const token = options.token ?? 'ghp_test';
  const requests: RecordedGitHubRequest[] = [];
  const installationTokens: string[] = [];
  const pulls: FakePull[] = [];
  const comments: { issue: number; body: string }[] = [];
  const checkRuns: FakeCheckRun[] = [];
  const reviews = new Map<number, FakeReview[]>();
  const limits: { kind: 'secondary' | 'primary'; waitSeconds: number }[] = [];
  const roles = new Map<string, string>();
  let nextId = 1000;
  let baseUrl = '';
  const now = () => new Date().toISOString();
  const htmlBase = `https://github.example/${owner}/${repo}`;

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-request-id': `FAKE:${nextId++}`, ...headers });
    res.end(text);
  }

  function refuseRateLimited(res: ServerResponse, limit: { kind: 'secondary' | 'primary'; waitSeconds: number }): void {
    if (limit.kind === 'secondary') {
      send(
        res,
        403,
        {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          status: '403',
        },
        { 'retry-after': String(limit.waitSeconds) },
      );
      return;
    }
    const reset = Math.ceil(Date.now() / 1000) + limit.waitSeconds;
    send(
      res,
      403,
      {
        message: 'API rate limit exceeded for user ID 1.',
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
        status: '403',
      },
      {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(reset),
        'x-ratelimit-resource': 'core',
      },
    );
  }

  const notFound = (res: ServerResponse) => send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
  const pull = (number: number) => pulls.find((p) => p.number === number);

  function route(method: string, parts: string[], query: URLSearchParams, body: any, res: ServerResponse): void {
    // parts: ['repos', owner, repo, ...rest]
    if (parts[0] !== 'repos' || parts[1] !== owner || parts[2] !== repo) return notFound(res);
    const rest = parts.slice(3);
    if (method === 'GET' && rest[0] === 'collaborators' && rest[2] === 'permission' && rest.length === 3) {
      const role = roles.get(rest[1]!) ?? 'read';
      if (role === 'server-error') return send(res, 502, { message: 'Server Error' });
      // The legacy `permission` folds maintain into write and triage into read, as GitHub does.
      const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      return send(res, 200, { permission, role_name: role, user: { login: rest[1], type: 'User' } });
    }
    const key = `${method} ${rest.map((p, i) => (/^\d+$/.test(p) && i > 0 ? ':n' : i === 1 && rest[0] === 'commits' ? ':ref' : p)).join('/')}`;
    switch (key) {
      case 'GET ':
        return send(res, 200, { id: 1, name: repo, full_name: `${owner}/${repo}`, default_branch: 'main', html_url: htmlBase });
      case 'GET pulls': {
        const state = query.get('state') ?? 'open';
        const head = query.get('head');
        const found = pulls.filter((p) => (state === 'all' || p.state === state) && (!head || p.head.label === head));
        return send(res, 200, found);
      }
      case 'POST pulls': {
        if (!body?.head || !body?.base || !body?.title)
          return send(res, 422, {
            message: 'Validation Failed',
            errors: [{ resource: 'PullRequest', code: 'missing_field' }],
            status: '422',
          });
        const label = `${owner}:${body.head}`;
        if (pulls.some((p) => p.state === 'open' && p.head.label === label))
          return send(res, 422, {
            message: 'Validation Failed',
            errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${label}.` }],
            documentation_url: `${DOCS}/pulls/pulls#create-a-pull-request`,
            status: '422',
          });
        const number = pulls.length + 1;
        const created: FakePull = {
          id: nextId++,
          number,
          state: 'open',
          title: body.title,
          body: body.body ?? null,
          html_url: `${htmlBase}/pull/${number}`,
          url: `${baseUrl}/repos/${owner}/${repo}/pulls/${number}`,
          head: { ref: body.head, sha: sha(body.head), label },
          base: { ref: body.base, label: `${owner}:${body.base}` },
          merged: false,
          merged_at: null,
          user: { login: 'improvement-loop[bot]' },
          draft: false,
          created_at: now(),
          updated_at: now(),
        };
        pulls.push(created);
        return send(res, 201, created);
      }
      case 'GET pulls/:n':
      case 'PATCH pulls/:n': {
        const found = pull(Number(rest[1]));
        if (!found) return notFound(res);
        if (method === 'PATCH') {
          if (typeof body?.title === 'string') found.title = body.title;
          if (typeof body?.body === 'string') found.body = body.body;
          found.updated_at = now();
        }
        return send(res, 200, found);
      }
      case 'GET pulls/:n/reviews':
        return pull(Number(rest[1])) ? send(res, 200, reviews.get(Number(rest[1])) ?? []) : notFound(res);
      case 'POST issues/:n/comments': {
        if (!pull(Number(rest[1]))) return notFound(res);
        if (typeof body?.body !== 'string') return send(res, 422, { message: 'Validation Failed', status: '422' });
        comments.push({ issue: Number(rest[1]), body: body.body });
        return send(res, 201, { id: nextId++, body: body.body, html_url: `${htmlBase}/pull/${rest[1]}#issuecomment-${nextId}` });
      }
      case 'GET commits/:ref/check-runs': {
        const runs = checkRuns.filter((r) => r.head_sha === rest[1]);
        return send(res, 200, { total_count: runs.length, check_runs: runs });
      }
      case 'GET commits/:ref/check-suites': {
        const runs = checkRuns.filter((r) => r.head_sha === rest[1]);
        const suites = runs.length
          ? [
              {
                id: 1,
                head_sha: rest[1],
                status: runs.every((r) => r.status === 'completed') ? 'completed' : 'in_progress',
                conclusion: null,
              },
            ]
          : [];
        return send(res, 200, { total_count: suites.length, check_suites: suites });
      }
      default:
        return notFound(res);
    }
  }

  const fake: FakeGitHub & { installationTokens: string[] } = {
    installationTokens,
    baseUrl: '',
    owner,
    repo,
    requests,
    pulls,
    comments,
    delayMs: 0,
    rateLimitNext(count, kind, waitSeconds = 1) {
      for (let i = 0; i < count; i++) limits.push({ kind, waitSeconds });
    },
    addCheckRun(headSha, run) {
      const added = { id: nextId++, head_sha: headSha, html_url: `${htmlBase}/runs/${nextId}`, ...run };
      checkRuns.push(added);
      return added;
    },
    addReview(number, review) {
      const added: FakeReview = {
        id: nextId++,
        user: { login: review.login },
        body: review.body ?? '',
        state: review.state,
        submitted_at: now(),
        html_url: `${htmlBase}/pull/${number}#pullrequestreview-${nextId}`,
      };
      reviews.set(number, [...(reviews.get(number) ?? []), added]);
      return added;
    },
    setPermission(login, role) {
      roles.set(login, role);
    },
    merge(number) {
      const found = pull(number)!;
      Object.assign(found, { state: 'closed', merged: true, merged_at: now(), updated_at: now() });
      return found;
    },
    close(number) {
      const found = pull(number)!;
      Object.assign(found, { state: 'closed', updated_at: now() });
      return found;
    },
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // fetch keeps connections alive; close() alone would wait for them.
        server.closeAllConnections();
      }),
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body });
      const answer = () => {
        const auth = headers.authorization ?? '';
        const app = options.app;
        const tokenPath = app && `/app/installations/${app.installationId}/access_tokens`;
        if (app && req.method === 'POST' && url.pathname === tokenPath) {
          // Octokit sends `bearer <jwt>`; GitHub reads the scheme case-insensitively.
          const jwt = /^bearer (.+)$/i.exec(auth)?.[1];
          if (!jwt || !validAppJwt(jwt, app))
            return send(res, 401, { message: 'A JSON web token could not be decoded', documentation_url: DOCS, status: '401' });
          const issued = `ghs_${randomBytes(18).toString('hex')}`;
          installationTokens.push(issued);
          return send(res, 201, {
            token: issued,
            expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            permissions: { pull_requests: 'write', checks: 'read', contents: 'read', metadata: 'read' },
            repository_selection: 'selected',
          });
        }
        const known = auth === `token ${token}` || auth === `Bearer ${token}` || installationTokens.some((t) => auth === `token ${t}`);
        if (!known) return send(res, 401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
        const limit = limits.shift();
        if (limit) return refuseRateLimited(res, limit);
        if (raw && body === undefined) return send(res, 400, { message: 'Problems parsing JSON', status: '400' });
        route(req.method ?? 'GET', url.pathname.split('/').filter(Boolean), url.searchParams, body, res);
      };
      if (fake.delayMs > 0) setTimeout(answer, fake.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.baseUrl = baseUrl;
  return fake;
}
