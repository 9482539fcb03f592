import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRepositoryReader } from '../../../src/adapters/git/history/git-repository-reader.ts';
import { createTemplateWriter } from '../../../src/adapters/llm/offline/template-writer.ts';
import { judgePatch } from '../../../src/adapters/executor/rails/change-rails.ts';
import { renderProposalMessage } from '../../../src/adapters/slack/views/proposal-message.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { osvDirectory } from '../../../src/analyzers/security/osv-directory.ts';
import { createSecurityAnalyzer } from '../../../src/analyzers/security/security-analyzer.ts';
import type { Finding } from '../../../src/domain/finding.ts';
import type { AnalysisContext } from '../../../src/ports/analyzer.ts';
import { createTestGitRepo, type TestGitRepo } from '../../helpers/git-repo.ts';
import { LODASH_FIXED_INTEGRITY, OSV_FIXTURES, PLANTED_TOKEN, plantedFiles } from './planted-project.ts';

const AS_OF = new Date('2026-12-01T00:00:00Z');
const context: AnalysisContext = { cycle: 'weekly', asOf: AS_OF, window: { from: new Date('2026-11-24T00:00:00Z'), to: AS_OF } };

describe('the security analyzer on a project with planted vulnerabilities and a committed token', () => {
  let repo: TestGitRepo;
  let findings: Finding[];
  const notes: string[] = [];
  const dependency = (name: string) => findings.find((f) => f.category === 'dependency' && f.details?.['package'] === name);

  beforeAll(async () => {
    repo = await createTestGitRepo([{ message: 'shop', date: '2026-11-01T10:00:00Z', files: plantedFiles() }]);
    const analyzer = createSecurityAnalyzer({
      repo: createGitRepositoryReader(repo.dir),
      advisories: osvDirectory(OSV_FIXTURES),
      onNote: (n) => notes.push(n),
    });
    expect(analyzer.cycles).toEqual(['weekly']);
    findings = await analyzer.analyze(context);
  });
  afterAll(() => repo.cleanup());

  it('finds exactly the planted vulnerable versions, with advisories, severity, path and fixed version', () => {
    const found = findings.filter((f) => f.category === 'dependency').map((f) => `${f.details?.['package']}@${f.details?.['version']}`);
    expect(found).toEqual(['ansi-regex@5.0.0', 'lodash@4.17.15', 'minimist@1.2.5']);
    const lodash = dependency('lodash')!;
    expect(lodash.type).toBe('security');
    expect(lodash.priority).toBe('high');
    expect(lodash.title).toBe('Upgrade lodash 4.17.15 → 4.17.21 in package-lock.json (GHSA-35jh-r3h4-6jhm, GHSA-p6mc-m468-83gw)');
    expect(lodash.fingerprint).toBe('security:dependency:package-lock.json:lodash@4.17.15');
    expect(lodash.evidence).toEqual(
      expect.arrayContaining([
        { label: 'advisories', value: 'GHSA-35jh-r3h4-6jhm (CVE-2021-23337), GHSA-p6mc-m468-83gw (CVE-2020-8203)' },
        { label: 'fixed in', value: '4.17.21' },
        { label: 'dependency path', value: 'lodash' },
        { label: 'direct dependency', value: 'yes' },
        { label: 'offline patch', value: 'package-lock.json edit' },
      ]),
    );
    expect(lodash.subject?.files).toEqual(['package.json', 'package-lock.json']);
    const minimist = dependency('minimist')!;
    expect(minimist.priority).toBe('critical');
    expect(minimist.details?.['fixedVersion']).toBe('1.2.6');
    expect(minimist.evidence).toContainEqual({ label: 'dependency path', value: 'mkdirp > minimist' });
    expect(minimist.details?.['noPatchReason']).toMatch(/holds no minimist@1\.2\.6/);
    const ansi = dependency('ansi-regex')!;
    expect(ansi.details?.['fixedVersion']).toBe('5.0.1');
    expect(ansi.summary).toContain('via strip-ansi > ansi-regex (dev only)');
  });

  it('says which lockfiles it skipped and why, rather than staying silent about them', () => {
    expect(notes).toContain("security: yarn.lock skipped: yarn lockfiles are not read yet (npm's package-lock.json is)");
    expect(notes).toContain(
      'security: tools/legacy/package-lock.json skipped: lockfileVersion 1 has no `packages` tree; npm 7 or later rewrites it on the next npm install',
    );
    expect(notes.some((n) => n.startsWith('security: tools/broken/package-lock.json skipped: invalid JSON: '))).toBe(true);
  });

  it('reports the committed token at file:line with its first characters only', () => {
    const secrets = findings.filter((f) => f.category === 'secret');
    expect(secrets).toHaveLength(1);
    const [leak] = secrets;
    expect(leak!.priority).toBe('critical');
    expect(leak!.title).toBe('Revoke the GITHUB_TOKEN committed in src/github-client.js:2');
    expect(leak!.evidence).toContainEqual({ label: 'secret', value: 'ghp_****' });
    expect(JSON.stringify(findings)).not.toContain(PLANTED_TOKEN);
    expect(JSON.stringify(notes)).not.toContain(PLANTED_TOKEN);
  });

  it('never lets the full token into the stored proposal, its history or its Slack message', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'security-store-'));
    const store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
    try {
      const writer = createTemplateWriter({ readFile: createGitRepositoryReader(repo.dir).readFile });
      const draft = await writer.write(findings.find((f) => f.category === 'secret')!);
      const created = await store.create(draft, { actor: 'cycle:weekly' });
      const stored = await store.get(created.id);
      expect(stored?.type).toBe('security');
      expect(stored?.implementationPlan).toMatch(/^Revoke the credential/);
      expect(JSON.stringify(stored)).not.toContain(PLANTED_TOKEN);
      expect(JSON.stringify(renderProposalMessage(stored!))).not.toContain(PLANTED_TOKEN);
      expect(JSON.stringify(renderProposalMessage(stored!))).toContain('ghp_****');
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('drafts a package.json and package-lock.json patch that git applies and that clears the lodash finding', async () => {
    const reader = createGitRepositoryReader(repo.dir);
    const draft = await createTemplateWriter({ readFile: reader.readFile }).write(dependency('lodash')!);
    expect(draft.patch).toBeDefined();
    expect(draft.implementationPlan).toContain('copying the resolved URL and integrity hash');
    // The executor's rails judge it like any patch: lockfiles are protected by default, nothing else objects.
    const rails = { maxFiles: 10, maxLinesPerFile: 500, allowBinary: false, allowModeChanges: false };
    const base = { symlinks: new Set<string>(), packageJson: new Map([['package.json', await reader.readFile('package.json')]]) };
    const byDefault = judgePatch(draft.patch!, { ...rails, protectedPaths: ['package-lock.json', 'yarn.lock'] }, base);
    expect(byDefault.refusals.map((r) => r.rule)).toEqual(['protected-path']);
    expect(judgePatch(draft.patch!, { ...rails, protectedPaths: ['yarn.lock'] }, base)).toMatchObject({
      allowed: true,
      paths: ['package.json', 'package-lock.json'],
    });
    const patchFile = path.join(repo.dir, '..', `${path.basename(repo.dir)}-lodash.patch`);
    await writeFile(patchFile, draft.patch!);
    try {
      await repo.git(['apply', '--check', patchFile]);
      await repo.git(['apply', '--index', patchFile]);
    } finally {
      await rm(patchFile, { force: true });
    }
    await repo.commit({ message: 'apply the proposal', date: '2026-11-02T10:00:00Z' });
    const lock = JSON.parse((await reader.readFile('package-lock.json'))!) as {
      packages: Record<string, { version: string; integrity: string }>;
    };
    expect(lock.packages['node_modules/lodash']).toMatchObject({ version: '4.17.21', integrity: LODASH_FIXED_INTEGRITY });
    expect(JSON.parse((await reader.readFile('package.json'))!)).toMatchObject({ dependencies: { lodash: '^4.17.21' } });
    const again = await createSecurityAnalyzer({ repo: reader, advisories: osvDirectory(OSV_FIXTURES) }).analyze(context);
    expect(again.filter((f) => f.category === 'dependency').map((f) => f.details?.['package'])).toEqual(['ansi-regex', 'minimist']);
  });

  it('plans "npm install" instead of a patch when the lockfile cannot be edited offline', async () => {
    const draft = await createTemplateWriter({ readFile: createGitRepositoryReader(repo.dir).readFile }).write(dependency('minimist')!);
    expect(draft.patch).toBeUndefined();
    expect(draft.implementationPlan).toMatch(/^Run `npm install minimist@1\.2\.6` in \. where the npm registry is reachable/);
    expect(draft.implementationPlan).toContain('holds no minimist@1.2.6');
  });

  it('looks for secrets only, and says so, when OSV_DIR is unset', async () => {
    const told: string[] = [];
    const found = await createSecurityAnalyzer({ repo: createGitRepositoryReader(repo.dir), onNote: (n) => told.push(n) }).analyze(context);
    expect(found.map((f) => f.category)).toEqual(['secret']);
    expect(told).toContain('security: dependencies not checked: OSV_DIR is unset (run improvement-loop osv-sync to fill it)');
  });
});
