import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPullRequests } from '../src/composition/pull-requests.ts';
import { buildStores, type Stores } from '../src/composition/stores.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logging.ts';
import { startFakeGitLab, type FakeGitLab } from './fakes/gitlab/fake-gitlab-server.ts';
import { makeDraft } from './helpers/drafts.ts';

describe('the pull-request parts the root wires', () => {
  let dir: string;
  let stores: Stores | undefined;
  let gitlab: FakeGitLab;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'il-pr-parts-'));
    gitlab = await startFakeGitLab();
  });
  afterEach(async () => {
    await stores?.close();
    stores = undefined;
    await gitlab.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('are absent when no code host is configured', async () => {
    const config = loadConfig({ DATA_DIR: dir });
    stores = await buildStores(config, silentLogger());
    expect(await buildPullRequests({ config, stores, notifiers: [], logger: silentLogger() })).toBeUndefined();
  });

  it('open a GitLab merge request for an implemented branch and poll it, without webhooks', async () => {
    const config = loadConfig({
      DATA_DIR: dir,
      GITLAB_TOKEN: 'glpat-test',
      GITLAB_PROJECT: 'acme/shop',
      GITLAB_API_URL: gitlab.apiUrl,
      GIT_REMOTE: 'origin',
    });
    stores = await buildStores(config, silentLogger());
    const parts = (await buildPullRequests({ config, stores, notifiers: [], logger: silentLogger() }))!;
    expect(parts.mode).toBe('gitlab acme/shop (polled on "*/10 * * * *")');
    expect(parts.webhooks).toBeUndefined();
    const filed = await stores.job.create(makeDraft(), { actor: 'cycle' });
    for (const to of ['approved', 'executing'] as const)
      await stores.job.transition({ id: filed.id, to, actor: 'u', idempotencyKey: `${filed.id}:${to}` });
    const done = await stores.job.transition({
      id: filed.id,
      to: 'implemented',
      actor: 'executor',
      idempotencyKey: `${filed.id}:i`,
      changes: { execution: { branch: `improvement/${filed.id}`, commit: 'abc123', testSummary: '3 passed' } },
    });
    await parts.opener.proposalChanged(done.proposal, { action: 'implemented', actor: 'executor' });
    expect(gitlab.mergeRequests).toHaveLength(1);
    expect(gitlab.mergeRequests[0]!.description).toContain('Tests: 3 passed');
    expect((await stores.job.get(filed.id))!.pullRequest).toMatchObject({ host: 'gitlab', number: 1, state: 'open' });
    gitlab.mergeRequests[0]!.state = 'closed';
    expect(await parts.poll!.run()).toEqual({ polled: 1, applied: 1, failed: 0 });
    const closed = (await stores.job.get(filed.id))!;
    expect(closed.status).toBe('rolled_back');
    expect(closed.history.at(-1)?.reason).toMatch(/^merge request !1 was closed without merging/);
  });

  it('refuse GitLab without its project or remote, and GitHub and GitLab together', () => {
    expect(() => loadConfig({ GITLAB_TOKEN: 'x' })).toThrow(
      /GITLAB_PROJECT: required with GITLAB_TOKEN[\s\S]*GIT_REMOTE: required with GITLAB_TOKEN/,
    );
    expect(() =>
      loadConfig({ GITLAB_TOKEN: 'x', GITLAB_PROJECT: 'a/b', GITHUB_TOKEN: 'y', GITHUB_REPOSITORY: 'a/b', GIT_REMOTE: 'origin' }),
    ).toThrow(/GITLAB_TOKEN: set GitHub or GitLab, not both/);
  });
});
