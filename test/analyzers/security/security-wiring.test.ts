import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ImprovementLoop } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { silentLogger } from '../../../src/logging.ts';
import { createTestGitRepo, type TestGitRepo } from '../../helpers/git-repo.ts';
import { OSV_FIXTURES, PLANTED_TOKEN, plantedFiles } from './planted-project.ts';

/** The app as configured by OSV_DIR and TARGET_REPO: a weekly cycle files the security proposals once. */
describe('a weekly cycle with OSV_DIR set on a repository with planted problems', () => {
  let dir: string;
  let repo: TestGitRepo;
  let app: ImprovementLoop;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'il-security-'));
    repo = await createTestGitRepo([{ message: 'shop', date: '2026-11-01T10:00:00Z', files: plantedFiles() }]);
    await mkdir(path.join(dir, 'telemetry'));
    // The security analyzer reads no telemetry, but the warehouse wants one table to open.
    const row = { endpoint: 'GET /health', response_time_ms: 5, error_rate: 0, timestamp: '2026-11-30T12:00:00Z' };
    await writeFile(path.join(dir, 'telemetry', 'api_metrics.ndjson'), `${JSON.stringify(row)}\n`);
    const config = loadConfig({
      DATA_DIR: path.join(dir, 'data'),
      TELEMETRY_DIR: path.join(dir, 'telemetry'),
      TARGET_REPO: repo.dir,
      OSV_DIR: OSV_FIXTURES,
      // An empty cache of its own: the trial's offline install never reads the machine's ~/.npm.
      TRIAL_NPM_CACHE: path.join(dir, 'npm-cache'),
      // The planted lockfile's tarballs were never published: no download is tried for them.
      TRIAL_INSTALL_NETWORK: 'none',
      LOG_LEVEL: 'silent',
    });
    app = await buildApp(config, silentLogger());
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await repo?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('files one proposal per vulnerable package version and one per secret, and refreshes them on the next cycle', async () => {
    const { report } = await app.runCycle({ type: 'weekly', only: ['security'], asOf: new Date('2026-12-01T00:00:00Z') });
    expect(report.errors).toEqual([]);
    expect(report.created.map((c) => c.fingerprint).sort()).toEqual([
      'security:dependency:package-lock.json:ansi-regex@5.0.0',
      'security:dependency:package-lock.json:lodash@4.17.15',
      'security:dependency:package-lock.json:minimist@1.2.5',
      expect.stringMatching(/^security:secret:src\/github-client\.js:@secretlint\/secretlint-rule-github:[0-9a-f]{16}$/),
    ]);
    const lodash = await app.jobStore.findByFingerprint('security:dependency:package-lock.json:lodash@4.17.15');
    expect(lodash?.patch).toContain('+++ b/package-lock.json');
    expect(lodash?.writtenBy).toBe('template');
    expect(lodash?.upgrade).toMatchObject({ package: 'lodash', from: '4.17.15', to: '4.17.21', locations: ['node_modules/lodash'] });
    // Tried like any patch before anyone is asked: the rails let the upgrade through, and the offline
    // install stops at once on the planted (never published) tarballs, saying what to set.
    expect(lodash?.preflight?.passed).toBe(false);
    expect(lodash?.preflight?.summary).toMatch(
      /^dependency install failed: `npm ci --offline --ignore-scripts --no-audit --no-fund` exited 1 in [\d.]+ s \(not in the cache: https:\/\/registry\.npmjs\.org\//,
    );
    expect(lodash?.preflight?.summary).toContain('or set TRIAL_INSTALL_NETWORK=registry');
    const all = await app.jobStore.list({ type: 'security', limit: 50, offset: 0 });
    expect(JSON.stringify(await Promise.all(all.items.map((p) => app.jobStore.get(p.id))))).not.toContain(PLANTED_TOKEN);

    const again = await app.runCycle({ type: 'weekly', only: ['security'], asOf: new Date('2026-12-08T00:00:00Z') });
    expect(again.report.created).toEqual([]);
    expect(again.report.updated).toHaveLength(4);
  }, 60_000);
});
