/** A target repository and bare remote, the git executor, Claude's writer on the Anthropic fake and @octokit/rest on the GitHub fake: what revision tests run on. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { createGitHubClient } from '../../src/adapters/code-host/github/github-client.ts';
import { createGitHubCodeHost } from '../../src/adapters/code-host/github/github-code-host.ts';
import { createClaudeWriter } from '../../src/adapters/llm/anthropic/claude-writer.ts';
import { createTemplateWriter } from '../../src/adapters/llm/offline/template-writer.ts';
import { createEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.ts';
import type { Proposal } from '../../src/domain/proposal.ts';
import { silentLogger } from '../../src/logging.ts';
import type { CodeHost } from '../../src/ports/code-host.ts';
import type { ProposalNotifier } from '../../src/ports/notifier.ts';
import { createRevisions, type Revisions } from '../../src/proposals/revisions.ts';
import { createPullRequestOpener } from '../../src/pull-requests/pull-request-opener.ts';
import { createHarness, GOOD_PATCH, type Harness } from '../adapters/executor/harness.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/fake-anthropic-server.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github/fake-github-server.ts';

/** The revision Claude is scripted to give: the same file, a different comment. */
export const REVISED_PATCH = `diff --git a/src/add.js b/src/add.js
--- a/src/add.js
+++ b/src/add.js
@@ -1,3 +1,4 @@
+// Adds two numbers (kept short, as the review asked).
 export function add(a, b) {
   return a + b;
 }
`;

export interface RevisionWorld {
  harness: Harness;
  remote: string;
  github: FakeGitHub;
  anthropic: FakeAnthropic;
  codeHost: CodeHost;
  revisions: Revisions;
  told: { id: string; action: string; actor: string }[];
  /** Files, approves and executes a proposal with GOOD_PATCH; resolves once its pull request is recorded. */
  implementedUnderReview(): Promise<Proposal>;
  git(args: string[], cwd?: string): string;
  cleanup(): Promise<void>;
}

export async function createRevisionWorld(): Promise<RevisionWorld> {
  const dir = await mkdtemp(path.join(tmpdir(), 'il-revise-'));
  const remote = path.join(dir, 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', remote]);
  const anthropic = await startFakeAnthropic();
  const github = await startFakeGitHub({ token: 'ghp_revise' });
  const logger = silentLogger();
  const octokit = createGitHubClient({
    auth: { token: 'ghp_revise' },
    apiUrl: github.baseUrl,
    timeoutMs: 5000,
    maxRateLimitRetries: 0,
    maxRateLimitWaitMs: 0,
    logger,
  });
  const codeHost = createGitHubCodeHost(octokit, 'acme/shop');
  const store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
  const notifiers: ProposalNotifier[] = [];
  const harness = await createHarness({ store, notifiers, execution: { remote } });
  const told: RevisionWorld['told'] = [];
  const links = async () => ({});
  const opener = createPullRequestOpener({ codeHost, store, notifiers, links, baseBranch: 'main', logger });
  notifiers.push(opener, {
    async proposalChanged(proposal, change) {
      told.push({ id: proposal.id, ...change });
    },
  });
  const writer = createClaudeWriter({
    apiKey: 'sk-ant-test',
    baseURL: anthropic.baseURL,
    maxRetries: 0,
    logger,
    fallback: createTemplateWriter({ readFile: async () => null }),
  });
  const revisions = createRevisions({
    store,
    writer,
    executor: harness.executor,
    notifiers,
    pullRequests: () => ({ codeHost, links }),
    logger,
  });
  const git = (args: string[], cwd = harness.repo.dir) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  let executions = 0;
  return {
    harness,
    remote,
    github,
    anthropic,
    codeHost,
    revisions,
    told,
    git,
    async implementedUnderReview() {
      const approved = await harness.approved(GOOD_PATCH, { type: 'code_quality', category: 'docs' });
      const done = await harness.executor.execute(approved, { actor: 'grace', idempotencyKey: `execute-${++executions}` });
      expect(done.status, JSON.stringify(done.execution)).toBe('implemented');
      for (let i = 0; i < 100; i++) {
        const current = (await store.get(done.id))!;
        if (current.pullRequest) return current;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the pull request was never recorded');
    },
    async cleanup() {
      await revisions.settled();
      await harness.cleanup();
      await github.stop();
      await anthropic.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function revisionReply(patch: string, explanation = 'Shortened the comment as the reviewer asked.') {
  return { name: 'submit_revision', toolUse: { patch, explanation } };
}
