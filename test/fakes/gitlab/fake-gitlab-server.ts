import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for GitLab's REST API v4 at the wire, for one project: merge requests (list by source
 * branch and state, create, update, get), their pipelines and notes, the project's default branch,
 * `PRIVATE-TOKEN` auth (401 `{"message":"401 Unauthorized"}`), 409 on a second open merge request for
 * a branch, and 429 rate limits with Retry-After and RateLimit-* headers.
 */

export interface FakeMergeRequest {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string;
  state: 'opened' | 'closed' | 'merged';
  source_branch: string;
  target_branch: string;
  sha: string;
  web_url: string;
  created_at: string;
}

export interface FakeGitLab {
  apiUrl: string;
  project: string;
  mergeRequests: FakeMergeRequest[];
  notes: Map<number, { id: number; body: string; system: boolean; created_at: string; author: { username: string } }[]>;
  pipelines: Map<number, { id: number; status: string; sha: string }[]>;
  requests: { method: string; path: string; body: any }[];
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** A project member (GET /projects/:id/members/all/:user_id, GET /users?username=): 10 guest … 30 developer … 50 owner. */
  addMember(user: { id: number; username: string }, accessLevel: number): void;
  stop(): Promise<void>;
}

export async function startFakeGitLab(options: { token?: string; project?: string } = {}): Promise<FakeGitLab> {
  const token = options.token ?? 'glpat-test';
  const project = options.project ?? 'acme/shop';
  const projectPath = `/api/v4/projects/${encodeURIComponent(project)}`;
  const mergeRequests: FakeMergeRequest[] = [];
  const notes: FakeGitLab['notes'] = new Map();
  const pipelines: FakeGitLab['pipelines'] = new Map();
  const requests: FakeGitLab['requests'] = [];
  const limits: number[] = [];
  const members = new Map<number, { id: number; username: string; access_level: number }>();
  let nextId = 500;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({ method: req.method ?? 'GET', path: url.pathname, body });
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (req.headers['private-token'] !== token) return send(401, { message: '401 Unauthorized' });
      const limit = limits.shift();
      if (limit !== undefined)
        return send(
          429,
          { message: 'Retry later' },
          {
            'retry-after': String(limit),
            'ratelimit-limit': '600',
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + limit),
          },
        );
      if (req.method === 'GET' && url.pathname === '/api/v4/users') {
        const username = url.searchParams.get('username');
        return send(
          200,
          [...members.values()].filter((m) => m.username === username).map(({ id, username: name }) => ({ id, username: name })),
        );
      }
      // Node keeps %2F encoded in the path, as GitLab expects it.
      if (!url.pathname.startsWith(projectPath)) return send(404, { message: '404 Project Not Found' });
      const rest = url.pathname.slice(projectPath.length);
      const iid = Number(/^\/merge_requests\/(\d+)/.exec(rest)?.[1]);
      const mr = mergeRequests.find((m) => m.iid === iid);
      const route = `${req.method} ${rest.replace(/\/\d+/, '/:iid')}`;
      const memberId = /^\/members\/all\/(\d+)$/.exec(rest)?.[1];
      if (req.method === 'GET' && memberId) {
        const member = members.get(Number(memberId));
        return member ? send(200, member) : send(404, { message: '404 Not found' });
      }
      switch (route) {
        case 'GET ':
          return send(200, { id: 42, path_with_namespace: project, default_branch: 'main' });
        case 'GET /merge_requests': {
          const state = url.searchParams.get('state');
          const branch = url.searchParams.get('source_branch');
          return send(
            200,
            mergeRequests.filter((m) => (!state || m.state === state) && (!branch || m.source_branch === branch)),
          );
        }
        case 'POST /merge_requests': {
          if (mergeRequests.some((m) => m.state === 'opened' && m.source_branch === body.source_branch))
            return send(409, { message: [`Another open merge request already exists for this source branch: !1`] });
          const created: FakeMergeRequest = {
            id: nextId++,
            iid: mergeRequests.length + 1,
            project_id: 42,
            title: body.title,
            description: body.description ?? '',
            state: 'opened',
            source_branch: body.source_branch,
            target_branch: body.target_branch,
            sha: `${body.source_branch.length.toString(16)}${'a'.repeat(39)}`,
            web_url: `https://gitlab.example/${project}/-/merge_requests/${mergeRequests.length + 1}`,
            created_at: new Date().toISOString(),
          };
          mergeRequests.push(created);
          return send(201, created);
        }
        case 'GET /merge_requests/:iid':
        case 'PUT /merge_requests/:iid':
          if (!mr) return send(404, { message: '404 Not found' });
          if (req.method === 'PUT') Object.assign(mr, { title: body.title ?? mr.title, description: body.description ?? mr.description });
          return send(200, mr);
        case 'GET /merge_requests/:iid/pipelines':
          return mr ? send(200, [...(pipelines.get(iid) ?? [])].reverse()) : send(404, { message: '404 Not found' });
        case 'GET /merge_requests/:iid/notes':
          return mr ? send(200, notes.get(iid) ?? []) : send(404, { message: '404 Not found' });
        case 'POST /merge_requests/:iid/notes': {
          if (!mr) return send(404, { message: '404 Not found' });
          const note = {
            id: nextId++,
            body: body.body,
            system: false,
            created_at: new Date().toISOString(),
            author: { username: 'improvement-bot' },
          };
          notes.set(iid, [...(notes.get(iid) ?? []), note]);
          return send(201, note);
        }
        default:
          return send(404, { error: '404 Not Found' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4`,
    project,
    mergeRequests,
    notes,
    pipelines,
    requests,
    rateLimitNext(count, retryAfterSeconds) {
      for (let i = 0; i < count; i++) limits.push(retryAfterSeconds);
    },
    addMember(user, accessLevel) {
      members.set(user.id, { ...user, access_level: accessLevel });
    },
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
