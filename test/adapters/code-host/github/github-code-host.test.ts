import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../../../src/adapters/code-host/github/github-client.ts';
import { createGitHubCodeHost } from '../../../../src/adapters/code-host/github/github-code-host.ts';
import { CodeHostError } from '../../../../src/domain/errors.ts';
import { silentLogger } from '../../../../src/logging.ts';
import { startFakeGitHub, type FakeGitHub } from '../../../fakes/github/fake-github-server.ts';

describe('the GitHub code host, with @octokit/rest against the fake', () => {
  let github: FakeGitHub;
  let waits: number[];
  const hostFor = (overrides: { token?: string; timeoutMs?: number; maxRateLimitWaitMs?: number } = {}) =>
    createGitHubCodeHost(
      createGitHubClient({
        auth: { token: overrides.token ?? 'ghp_test' },
        apiUrl: github.baseUrl,
        timeoutMs: overrides.timeoutMs ?? 5000,
        maxRateLimitRetries: 2,
        maxRateLimitWaitMs: overrides.maxRateLimitWaitMs ?? 120_000,
        logger: silentLogger(),
        sleep: async (ms) => void waits.push(ms),
      }),
      `${github.owner}/${github.repo}`,
    );

  beforeEach(async () => {
    github = await startFakeGitHub();
    waits = [];
  });
  afterEach(() => github.stop());

  it('opens a pull request into the default branch, then updates the same one instead of opening a second', async () => {
    const host = hostFor();
    const first = await host.openOrUpdatePullRequest({ head: 'improvement/p1', title: 'Fix it', body: 'one' });
    const second = await host.openOrUpdatePullRequest({ head: 'improvement/p1', title: 'Fix it better', body: 'two' });
    expect(first).toMatchObject({ number: 1, created: true, url: expect.stringContaining('/pull/1') });
    expect(second).toMatchObject({ number: 1, created: false });
    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0]).toMatchObject({ title: 'Fix it better', body: 'two', base: { ref: 'main' } });
    const listed = github.requests.find((r) => r.method === 'GET' && r.path.endsWith('/pulls'));
    expect(listed?.query.get('head')).toBe('acme:improvement/p1');
  });

  it('reads the state, the checks of the head commit and the reviews', async () => {
    const host = hostFor();
    const { number } = await host.openOrUpdatePullRequest({ head: 'improvement/p2', base: 'develop', title: 't', body: 'b' });
    const sha = github.pulls[0]!.head.sha;
    github.addCheckRun(sha, { name: 'test', status: 'completed', conclusion: 'success' });
    github.addCheckRun(sha, { name: 'lint', status: 'completed', conclusion: 'failure' });
    github.addCheckRun(sha, { name: 'e2e', status: 'in_progress', conclusion: null });
    github.addReview(number, { login: 'ana', state: 'CHANGES_REQUESTED', body: 'rename the helper' });
    const state = await host.pullRequestState(number);
    expect(state).toMatchObject({ number, state: 'open', head: 'improvement/p2', headSha: sha });
    expect(state.checks).toEqual({ state: 'failure', summary: '1 passed, 1 failed (lint), 1 running' });
    expect(state.reviews).toEqual([expect.objectContaining({ author: 'ana', state: 'changes_requested', body: 'rename the helper' })]);
    github.merge(number);
    expect((await host.pullRequestState(number)).state).toBe('merged');
  });

  it('posts a comment on the pull request', async () => {
    const host = hostFor();
    const { number } = await host.openOrUpdatePullRequest({ head: 'improvement/p3', title: 't', body: 'b' });
    await host.comment(number, 'Tests pass again.');
    expect(github.comments).toEqual([{ issue: number, body: 'Tests pass again.' }]);
  });

  it('waits as long as a secondary rate limit asks (retry-after), then succeeds', async () => {
    const host = hostFor();
    github.rateLimitNext(2, 'secondary', 7);
    const opened = await host.openOrUpdatePullRequest({ head: 'improvement/p4', title: 't', body: 'b' });
    expect(opened.created).toBe(true);
    expect(waits).toEqual([7000, 7000]);
  });

  it('waits for the primary limit to reset (x-ratelimit-reset), then succeeds', async () => {
    const host = hostFor();
    github.rateLimitNext(1, 'primary', 30);
    await host.comment((await host.openOrUpdatePullRequest({ head: 'improvement/p5', title: 't', body: 'b' })).number, 'hi');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(25_000);
    expect(waits[0]).toBeLessThanOrEqual(31_000);
  });

  it('gives up with a clear error when the rate limit outlasts its retries or its longest wait', async () => {
    github.rateLimitNext(3, 'secondary', 1);
    const error = await hostFor()
      .openOrUpdatePullRequest({ head: 'improvement/p6', title: 't', body: 'b' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodeHostError);
    expect((error as Error).message).toMatch(/GitHub rate-limited GET \/repos\/\{owner\}\/\{repo\}\/pulls \(403\); 2 retries made/);
    github.rateLimitNext(1, 'primary', 3600);
    await expect(hostFor({ maxRateLimitWaitMs: 60_000 }).pullRequestState(1)).rejects.toThrow(
      /0 retries made, the next would wait 36\d\d s/,
    );
    expect(github.pulls).toHaveLength(0);
  });

  it('names the call and the answer when GitHub refuses it, and times out a silent server', async () => {
    await expect(hostFor({ token: 'wrong' }).comment(1, 'x')).rejects.toThrow(/GitHub answered 401 on POST .*comments: Bad credentials/);
    await expect(hostFor().pullRequestState(99)).rejects.toMatchObject({ name: 'CodeHostError', status: 404 });
    github.delayMs = 500;
    await expect(hostFor({ timeoutMs: 100 }).pullRequestState(1)).rejects.toThrow(/GitHub did not answer GET .* within 100 ms/);
  });
});

describe('the GitHub code host as a GitHub App installation', () => {
  it('signs a JWT with the App key, exchanges it for an installation token, and calls with that token', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    // GitHub hands out PKCS#1 ("BEGIN RSA PRIVATE KEY") keys.
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const github = await startFakeGitHub({ app: { id: '123456', publicKey, installationId: 789 } });
    try {
      const client = createGitHubClient({
        auth: { appId: '123456', privateKey: pem, installationId: '789' },
        apiUrl: github.baseUrl,
        timeoutMs: 5000,
        maxRateLimitRetries: 0,
        maxRateLimitWaitMs: 0,
        logger: silentLogger(),
      });
      const host = createGitHubCodeHost(client, 'acme/shop');
      const opened = await host.openOrUpdatePullRequest({ head: 'improvement/app1', title: 't', body: 'b' });
      expect(opened.created).toBe(true);
      expect(github.installationTokens).toHaveLength(1);
      const exchange = github.requests.find((r) => r.path === '/app/installations/789/access_tokens');
      expect(exchange?.headers.authorization).toMatch(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i);
      const create = github.requests.find((r) => r.method === 'POST' && r.path.endsWith('/pulls'));
      expect(create?.headers.authorization).toBe(`token ${github.installationTokens[0]}`);

      const { privateKey: other } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const wrongKey = createGitHubClient({
        auth: { appId: '123456', privateKey: other.export({ type: 'pkcs1', format: 'pem' }).toString(), installationId: '789' },
        apiUrl: github.baseUrl,
        timeoutMs: 5000,
        maxRateLimitRetries: 0,
        maxRateLimitWaitMs: 0,
        logger: silentLogger(),
      });
      await expect(createGitHubCodeHost(wrongKey, 'acme/shop').comment(1, 'x')).rejects.toThrow(/GitHub answered 401/);
    } finally {
      await github.stop();
    }
  });
});
