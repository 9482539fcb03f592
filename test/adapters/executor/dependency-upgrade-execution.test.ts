import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepositoryReader } from '../../../src/adapters/git/history/git-repository-reader.ts';
import { createTemplateWriter } from '../../../src/adapters/llm/offline/template-writer.ts';
import { osvDirectory } from '../../../src/analyzers/security/osv-directory.ts';
import { createSecurityAnalyzer } from '../../../src/analyzers/security/security-analyzer.ts';
import type { ProposalDraft } from '../../../src/domain/proposal.ts';
import type { AnalysisContext } from '../../../src/ports/analyzer.ts';
import { createHarness, snapshotUserTree, type Harness } from './harness.ts';
import { createOfflineNpmCache, type OfflineNpmCache } from './offline-npm-cache.ts';
import { npmJson, TINY_ADVISORY, TINY_UPGRADE, upgradeLockfile3, upgradeManifest } from './upgrade-project.ts';

const AS_OF = new Date('2026-12-01T00:00:00Z');
const context: AnalysisContext = { cycle: 'weekly', asOf: AS_OF, window: { from: new Date('2026-11-24T00:00:00Z'), to: AS_OF } };

/**
 * A security upgrade from a planted lockfile to a merged branch and back, on a real repository, a
 * real npm cache and the real sandbox: the analyzer finds tiny-dep 1.0.0, the template writer
 * drafts the package.json and package-lock.json patch, the trial installs it offline and runs the
 * tests, Execute commits it and Rollback takes it away.
 */
describe('a security proposal whose patch upgrades a dependency in package-lock.json', () => {
  let cache: OfflineNpmCache;
  let h: Harness;
  let osvDir: string;
  let lockText: string;
  let draft: ProposalDraft;

  beforeAll(async () => {
    cache = await createOfflineNpmCache();
    lockText = npmJson(upgradeLockfile3(cache.integrities));
    h = await createHarness({
      files: {
        'package.json': npmJson(upgradeManifest()),
        'package-lock.json': lockText,
        '.gitignore': 'node_modules/\n',
        'test/greeting.test.js':
          "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport greeting from 'tiny-dep';\n\ntest('greets', () => assert.match(greeting, /^hello/));\n",
      },
      execution: { install: { network: 'none', timeoutMs: 60_000, npmCache: cache.dir } },
    });
    osvDir = await mkdtemp(path.join(tmpdir(), 'il-osv-'));
    await writeFile(path.join(osvDir, `${TINY_ADVISORY.id}.json`), JSON.stringify(TINY_ADVISORY));
    const reader = createGitRepositoryReader(h.repo.dir);
    const findings = await createSecurityAnalyzer({ repo: reader, advisories: osvDirectory(osvDir) }).analyze(context);
    const finding = findings.find((f) => f.category === 'dependency' && f.details?.['package'] === 'tiny-dep');
    expect(finding?.upgrade).toEqual(TINY_UPGRADE);
    // As the cycle files it: the upgrade is the finding's, never the writer's.
    draft = { ...(await createTemplateWriter({ readFile: reader.readFile }).write(finding!)), upgrade: finding!.upgrade! };
  }, 60_000);
  afterAll(async () => {
    await h?.cleanup();
    await cache?.cleanup();
    if (osvDir) await rm(osvDir, { recursive: true, force: true });
  });

  it('is tried like any other patch: the trial installs from the npm cache without the network and runs the tests', async () => {
    expect(draft.type).toBe('security');
    expect(draft.patch).toContain('+      "version": "1.0.1",');
    const trial = await h.executor.tryPatch(draft.patch!, draft);
    expect(trial).toMatchObject({ passed: true, testCounts: { base: { passed: 1 }, change: { passed: 1 } } });
    expect(trial.summary).toMatch(/^tests passed: 1 passed, 0 failed in [\d.]+ s \(base: 1 passed\)$/);
  }, 120_000);

  it.runIf(process.getuid?.() === 0)(
    'installs and tests as nobody, as a root service runs them, from a cache nobody can read',
    async () => {
      const asNobody = h.makeExecutor({ sandboxUser: { uid: 65534, gid: 65534 } });
      expect(await asNobody.tryPatch(draft.patch!, draft)).toMatchObject({ passed: true, testCounts: { change: { passed: 1 } } });
    },
    120_000,
  );

  it('executes onto its branch with the fixed version, and Rollback leaves the lockfile as it was', async () => {
    const before = await snapshotUserTree(h.repo);
    const proposal = await h.approved(draft.patch, { type: 'security', category: 'dependency', upgrade: draft.upgrade! });
    const executed = await h.executor.execute(proposal, { actor: 'grace', idempotencyKey: 'execute-upgrade' });
    expect(executed.status, executed.execution?.error).toBe('implemented');
    const committed = JSON.parse(await h.repo.git(['show', `${executed.execution!.commit}:package-lock.json`])) as {
      packages: Record<string, { version: string; integrity: string }>;
    };
    expect(committed.packages['node_modules/tiny-dep']).toMatchObject({ version: '1.0.1', integrity: cache.integrities.tiny101 });
    expect(await h.repo.git(['show', `${executed.execution!.commit}:package.json`])).toContain('"tiny-dep": "^1.0.1"');

    const rolledBack = await h.executor.rollback(executed, { actor: 'grace', idempotencyKey: 'rollback-upgrade', reason: 'check' });
    expect(rolledBack.status).toBe('rolled_back');
    expect((await h.repo.git(['for-each-ref', '--format=%(refname)', 'refs/heads/improvement/'])).trim()).toBe('');
    expect(await h.repo.git(['show', 'HEAD:package-lock.json'])).toBe(lockText);
    expect(await snapshotUserTree(h.repo)).toEqual(before);
  }, 120_000);

  it('stays refused as a protected path for any other proposal, and for every proposal with DEPENDENCY_UPGRADE_PATCHES=off', async () => {
    const refused = 'refused: path package-lock.json is protected (package-lock.json)';
    expect(await h.executor.tryPatch(draft.patch!, { type: 'performance', upgrade: draft.upgrade! })).toMatchObject({ summary: refused });
    expect(await h.executor.tryPatch(draft.patch!, { type: 'security' })).toMatchObject({ summary: refused });
    const off = h.makeExecutor({ execution: { ...h.deps.execution, dependencyUpgrades: 'off' } });
    expect(await off.tryPatch(draft.patch!, draft)).toMatchObject({ passed: false, summary: refused });
  });

  it('refuses a forged resolved URL in the rails, before anything is installed', async () => {
    const forged = draft
      .patch!.split('\n')
      .map((line) => (line.startsWith('+') ? line.replace('https://registry.npmjs.org/', 'https://evil.example/') : line))
      .join('\n');
    const trial = await h.executor.tryPatch(forged, draft);
    expect(trial).toMatchObject({
      passed: false,
      summary:
        'refused: package-lock.json: node_modules/tiny-dep resolves to the host evil.example, which is neither registry.npmjs.org nor a host the lockfile already uses',
    });
  });

  it('fails the install at once, saying what to set, when the npm cache lacks the packages', async () => {
    const empty = h.makeExecutor({
      execution: { ...h.deps.execution, install: { network: 'none', timeoutMs: 60_000, npmCache: cache.emptyDir } },
    });
    const trial = await empty.tryPatch(draft.patch!, draft);
    expect(trial.passed).toBe(false);
    expect(trial.summary).toMatch(
      new RegExp(
        `^dependency install failed: \`npm ci --offline --ignore-scripts --no-audit --no-fund\` exited 1 in [\\d.]+ s \\(not in the cache: https://registry\\.npmjs\\.org/\\S+\\.tgz\\) reading the npm cache ${cache.emptyDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(no network\\)`,
      ),
    );
    expect(trial.summary).toContain('or set TRIAL_INSTALL_NETWORK=registry');
  }, 60_000);
});

/**
 * TRIAL_INSTALL_NETWORK=registry: the offline attempt misses (an empty cache), and the second attempt
 * downloads, for the install step only, from a registry on the loopback (the project's .npmrc names
 * it; npm sends registry.npmjs.org's tarball URLs there).
 */
describe('a dependency install allowed to reach the registry', () => {
  let cache: OfflineNpmCache;
  let h: Harness;
  let server: Server;
  const requests: string[] = [];
  let hang = false;

  beforeAll(async () => {
    cache = await createOfflineNpmCache();
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (hang) return; // never answers: the install's own time limit has to end it
      const file = cache.tarballs.get(path.basename(req.url ?? ''));
      if (!file) return void res.writeHead(404).end();
      void readFile(file).then((body) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    h = await createHarness({
      files: {
        'package.json': npmJson(upgradeManifest()),
        'package-lock.json': npmJson(upgradeLockfile3(cache.integrities)),
        '.npmrc': `registry=http://127.0.0.1:${port}/\n`,
        'test/greeting.test.js':
          "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport greeting from 'tiny-dep';\n\ntest('greets', () => assert.match(greeting, /^hello/));\n",
      },
      execution: { install: { network: 'registry', timeoutMs: 60_000, npmCache: cache.emptyDir } },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.cleanup();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await cache?.cleanup();
  });

  it('downloads after the offline attempt misses, and the tests pass', async () => {
    const trial = await h.executor.tryPatch(GOOD_TEST_PATCH, {});
    expect(trial.summary).toMatch(/^tests passed: 2 passed, 0 failed/);
    expect(requests).toContain('/tiny-dep/-/tiny-dep-1.0.0.tgz');
  }, 120_000);

  it('kills an install that hangs at TRIAL_INSTALL_TIMEOUT_MS, whatever the tests may take', async () => {
    hang = true;
    try {
      const executor = h.makeExecutor({
        execution: { ...h.deps.execution, install: { network: 'registry', timeoutMs: 3_000, npmCache: cache.emptyDir } },
      });
      const trial = await executor.tryPatch(GOOD_TEST_PATCH, {});
      expect(trial.passed).toBe(false);
      expect(trial.summary).toMatch(
        /^dependency install failed: `npm ci --offline [^`]+` exited 1 in [\d.]+ s \(not in the cache: \S+\) reading \S+, then `npm ci --ignore-scripts --no-audit --no-fund` \(TRIAL_INSTALL_NETWORK=registry\) timed out after [\d.]+ s \(TRIAL_INSTALL_TIMEOUT_MS\)$/,
      );
    } finally {
      hang = false;
    }
  }, 60_000);
});

/** Adds a second test, so the trial has a change to try. */
const GOOD_TEST_PATCH = `diff --git a/test/more.test.js b/test/more.test.js
new file mode 100644
--- /dev/null
+++ b/test/more.test.js
@@ -0,0 +1,3 @@
+import { test } from 'node:test';
+
+test('runs', () => {});
`;
