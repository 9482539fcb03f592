/**
 * The composed service with GitHub settings: an approved patch is executed on the demo repository,
 * its branch pushed to GIT_REMOTE (a local bare repository), the pull request opened on the GitHub
 * fake through @octokit/rest, and a signed `pull_request` delivery to POST /github/webhooks moves the
 * proposal to merged, with each step in the proposal's Slack thread (the outbox, Slack being off).
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../src/adapters/store/embedded/embedded-store.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logging.ts';
import { startServer, type RunningServer } from '../src/main.ts';
import { startFakeGitHub, type FakeGitHub } from './fakes/github/fake-github-server.ts';
import { makeDraft } from './helpers/drafts.ts';
import { deliver, githubPayload } from './helpers/github-deliveries.ts';

const TOKEN = 'pull-request-wiring-token';
const SECRET = 'pull-request-wiring-secret';
const PATCH = `diff --git a/src/health.js b/src/health.js
--- a/src/health.js
+++ b/src/health.js
@@ -1,4 +1,5 @@
 /** GET /api/health — answers while the process is up. */
 export function health() {
+  // No I/O here: a load balancer calls this every few seconds.
   return { status: 200, body: { status: 'ok' } };
 }
`;

describe('an executed change followed on GitHub through the composed service', () => {
  let dir: string;
  let remote: string;
  let github: FakeGitHub;
  let server: RunningServer;
  const printed: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'il-pr-wiring-'));
    await chmod(dir, 0o755);
    remote = path.join(dir, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', remote]);
    github = await startFakeGitHub({ token: 'ghp_wiring' });
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: path.join(dir, 'data'),
      API_TOKENS: TOKEN,
      SAMPLE_METRIC_ROWS: '20000',
      SAMPLE_INTERACTIONS: '3000',
      GIT_REMOTE: remote,
      GITHUB_TOKEN: 'ghp_wiring',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: github.baseUrl,
      GITHUB_WEBHOOK_SECRET: SECRET,
      PUBLIC_URL: 'https://loop.example/',
    });
    await chmod(path.dirname(config.dataDir), 0o755);
    server = await startServer(config, silentLogger(), (line) => printed.push(line));
  }, 90_000);
  afterAll(async () => {
    await server?.close();
    await github?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const api = (method: string, route: string, body?: unknown) =>
    fetch(`${server.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const read = async (id: string) => (await (await api('GET', `/api/improvements/proposals/${id}`)).json()).proposal;

  it('says on its start line where pull requests go and how they are followed', () => {
    expect(printed.find((l) => l.startsWith('code host'))).toMatch(
      /^code host\s+github acme\/shop \(webhooks at POST \/github\/webhooks\)/,
    );
  });

  it('pushes the branch, opens its pull request, and moves the proposal to merged when GitHub says it merged', async () => {
    const store = createEmbeddedStore({ file: path.join(dir, 'data', 'store.sqlite') });
    const filed = await store.create(makeDraft({ type: 'code_quality', category: 'docs', patch: PATCH, fingerprint: 'docs:health:pr' }), {
      actor: 'test',
    });
    await store.close();
    expect((await api('POST', `/api/improvements/proposals/${filed.id}/approve`, {})).status).toBe(200);
    await api('POST', `/api/improvements/proposals/${filed.id}/execute`, {});
    let proposal = await read(filed.id);
    for (let i = 0; i < 400 && (proposal.status === 'executing' || (proposal.status === 'implemented' && !proposal.pullRequest)); i++) {
      await new Promise((r) => setTimeout(r, 200));
      proposal = await read(filed.id);
    }
    expect(proposal.status, JSON.stringify(proposal.execution)).toBe('implemented');
    const branch = `improvement/${filed.id}`;
    expect(execFileSync('git', ['-C', remote, 'rev-parse', branch], { encoding: 'utf8' }).trim()).toBe(proposal.execution.commit);

    expect(github.pulls).toHaveLength(1);
    const pull = github.pulls[0]!;
    expect(pull.head.ref).toBe(branch);
    expect(pull.body).toContain(proposal.summary);
    expect(pull.body).toContain(`Tests: ${proposal.execution.testSummary}`);
    expect(pull.body).toContain(proposal.rollbackPlan);
    expect(pull.body).toContain(`[Dashboard](https://loop.example/proposals/${filed.id})`);
    expect(proposal.pullRequest).toEqual({ host: 'github', number: 1, url: pull.html_url, state: 'open' });

    const merged = await deliver(server.url, 'pull_request', githubPayload('pull_request.closed.merged.json', branch), { secret: SECRET });
    expect(merged.status).toBe(200);
    expect((await read(filed.id)).status).toBe('merged');
    const forged = await deliver(server.url, 'pull_request', githubPayload('pull_request.closed.unmerged.json', branch), {
      secret: 'wrong',
    });
    expect(forged.status).toBe(401);

    // A collaborator's comment addressed to the app reaches the revisions, which answer on the pull request why not.
    github.setPermission('ana', 'write');
    const comment = JSON.parse(githubPayload('issue_comment.created.json', branch));
    Object.assign(comment.comment, { body: '@improvement-loop revise shorter', user: { login: 'ana', id: 1, type: 'User' } });
    comment.issue.number = pull.number;
    const asked = await deliver(server.url, 'issue_comment', JSON.stringify(comment), { secret: SECRET });
    expect(await asked.json()).toMatchObject({ outcome: 'applied', revision: 'ignored' });
    expect(github.comments.at(-1)?.body).toMatch(/^Not revised: Proposal \S+ is merged, which is final/);

    // Slack is off: the outbox holds the thread replies the channel would have seen.
    const outboxDir = path.join(dir, 'data', 'outbox');
    let thread: string[] = [];
    for (let i = 0; i < 50 && !thread.includes('Merged'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const files = (await readdir(outboxDir)).filter((f) => f.endsWith('.json')); // not a .tmp being written
      const messages = await Promise.all(
        files.map(async (f) => JSON.parse(await readFile(path.join(outboxDir, f), 'utf8')) as { text: string; thread_ts?: string }),
      );
      thread = messages.filter((m) => m.thread_ts).map((m) => m.text);
    }
    expect(thread).toEqual(expect.arrayContaining(['Pull request opened', 'Merged']));
  }, 150_000);
});
