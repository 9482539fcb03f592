/**
 * The composed service executing an approved proposal against the demo repository (the default
 * TARGET_REPO) with the default TEST_COMMAND: API approve and execute, the sandboxed npm test, the
 * commit on improvement/<id>, the outbox message following every step, and the user's tree untouched.
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
import { makeDraft } from './helpers/drafts.ts';

const TOKEN = 'execution-wiring-token';
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

describe('executing through the composed service', () => {
  let dir: string;
  let server: RunningServer;
  const printed: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'il-exec-wiring-'));
    // The sandbox user (nobody, when the tests run as root) must reach the worktrees under DATA_DIR.
    await chmod(dir, 0o755);
    const config = loadConfig({ PORT: '0', DATA_DIR: dir, API_TOKENS: TOKEN, SAMPLE_METRIC_ROWS: '20000', SAMPLE_INTERACTIONS: '3000' });
    server = await startServer(config, silentLogger(), (line) => printed.push(line));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const api = (method: string, route: string, body?: unknown) =>
    fetch(`${server.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const git = (...args: string[]) => execFileSync('git', ['-C', path.join(dir, 'demo-repo'), ...args], { encoding: 'utf8' });

  it('says on its start line where executions happen', () => {
    expect(printed.find((l) => l.startsWith('executor'))).toMatch(
      /^executor\s+git worktrees of .*demo-repo under .*worktrees; tests: npm test; never merges/,
    );
  });

  it('approves and executes a patch: tests pass in the sandbox, the commit lands on its branch, the user’s tree stays as it was', async () => {
    const before = { head: git('rev-parse', 'HEAD'), status: git('status', '--porcelain'), branch: git('branch', '--show-current') };
    const store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
    const filed = await store.create(makeDraft({ type: 'code_quality', category: 'docs', patch: PATCH, fingerprint: 'docs:health' }), {
      actor: 'test',
    });
    await store.close();

    expect((await api('POST', `/api/improvements/proposals/${filed.id}/approve`, {})).status).toBe(200);
    const started = await api('POST', `/api/improvements/proposals/${filed.id}/execute`, {});
    expect([200, 202]).toContain(started.status);
    let proposal = (await started.json()).proposal;
    for (let i = 0; i < 300 && proposal.status === 'executing'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      proposal = (await (await api('GET', `/api/improvements/proposals/${filed.id}`)).json()).proposal;
    }
    expect(proposal.status, JSON.stringify(proposal.execution)).toBe('implemented');
    expect(proposal.execution.branch).toBe(`improvement/${filed.id}`);
    expect(proposal.execution.testSummary).toMatch(/tests passed/);
    expect(git('log', '-1', '--format=%B', proposal.execution.branch)).toContain(filed.id);
    expect(git('show', '--stat', '--format=', proposal.execution.branch)).toContain('src/health.js');
    expect({ head: git('rev-parse', 'HEAD'), status: git('status', '--porcelain'), branch: git('branch', '--show-current') }).toEqual(
      before,
    );
    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);

    // Slack is off: the outbox holds the Block Kit the channel would have seen, updated through execution.
    const outboxDir = path.join(dir, 'outbox');
    const messages = await Promise.all(
      // Only finished files: a message being written is a .tmp until its rename.
      (await readdir(outboxDir))
        .filter((f) => f.endsWith('.json'))
        .map(
          async (f) => JSON.parse(await readFile(path.join(outboxDir, f), 'utf8')) as { method: string; text: string; thread_ts?: string },
        ),
    );
    const about = messages.filter((m) => JSON.stringify(m).includes(filed.id));
    expect(about.filter((m) => m.method === 'chat.postMessage' && !m.thread_ts)).toHaveLength(1);
    expect(about.some((m) => m.method === 'chat.update' && /implemented/i.test(JSON.stringify(m)))).toBe(true);
    // One reply in the thread follows the run; its later states are edits of it, not more replies.
    expect(about.filter((m) => m.thread_ts)).toHaveLength(1);
  }, 120_000);

  it('rolls the change back over the API: the branch no longer carries it', async () => {
    const list = (await (await api('GET', '/api/improvements/proposals?status=implemented')).json()).proposals as { id: string }[];
    const id = list[0]!.id;
    const res = await api('POST', `/api/improvements/proposals/${id}/rollback`, { reason: 'not needed after all' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()).proposal.status).toBe('rolled_back');
    expect(
      git('branch', '--list', `improvement/${id}`).trim() === '' ||
        !git('show', `improvement/${id}:src/health.js`).includes('load balancer'),
    ).toBe(true);
  }, 60_000);
});
