import { describe, expect, it } from 'vitest';
import { upgradeLockfile } from '../../../src/analyzers/security/lockfile-upgrade.ts';
import { LODASH_FIXED_INTEGRITY, npmJson, plantedLockfile, plantedManifest } from './planted-project.ts';

type Lock = { packages: Record<string, Record<string, unknown>>; dependencies?: Record<string, Record<string, unknown>> };

describe('editing package-lock.json to a fixed version without the network', () => {
  it('copies the resolved URL and integrity hash of the fixed version the tree already holds, and raises package.json', () => {
    const before = plantedLockfile() as unknown as Lock;
    const result = upgradeLockfile(npmJson(before), npmJson(plantedManifest()), {
      name: 'lodash',
      locations: ['node_modules/lodash'],
      to: '4.17.21',
    });
    if (!result.ok) throw new Error(result.reason);
    const after = JSON.parse(result.lockfile) as Lock;
    expect(after.packages['node_modules/lodash']).toEqual(before.packages['node_modules/legacy-util/node_modules/lodash']);
    expect(after.packages['node_modules/lodash']!['integrity']).toBe(LODASH_FIXED_INTEGRITY);
    expect((after.packages['']!['dependencies'] as Record<string, string>)['lodash']).toBe('^4.17.21');
    // Nothing else moved, and the file is still in npm's formatting (so the diff is a few lines).
    for (const location of Object.keys(before.packages).filter((l) => l !== 'node_modules/lodash' && l !== ''))
      expect(after.packages[location]).toEqual(before.packages[location]);
    expect(result.lockfile).toBe(npmJson(after));
    expect(JSON.parse(result.manifest!)).toMatchObject({ dependencies: { lodash: '^4.17.21' }, scripts: { test: 'node --test' } });
    expect(result.changes).toEqual(['node_modules/lodash: 4.17.15 → 4.17.21', 'package.json: lodash ^4.17.15 → ^4.17.21']);
  });

  it('refuses when the tree holds no entry of the fixed version: its integrity hash would have to be made up', () => {
    const result = upgradeLockfile(npmJson(plantedLockfile()), npmJson(plantedManifest()), {
      name: 'minimist',
      locations: ['node_modules/minimist'],
      to: '1.2.6',
    });
    expect(result).toEqual({
      ok: false,
      reason: 'package-lock.json holds no minimist@1.2.6 to copy its resolved URL and integrity hash from; only the registry can give them',
    });
  });

  it('refuses when a package that requires it there does not accept the fixed version', () => {
    const lock = plantedLockfile() as unknown as Lock;
    (lock.packages['node_modules/mkdirp']!['dependencies'] as Record<string, string>)['minimist'] = '~1.2.5';
    lock.packages['node_modules/other/node_modules/minimist'] = {
      version: '1.3.0',
      resolved: 'https://registry.npmjs.org/minimist/-/minimist-1.3.0.tgz',
      integrity: 'sha512-x',
    };
    const result = upgradeLockfile(npmJson(lock), npmJson(plantedManifest()), {
      name: 'minimist',
      locations: ['node_modules/minimist'],
      to: '1.3.0',
    });
    expect(result).toEqual({
      ok: false,
      reason: 'node_modules/mkdirp requires minimist@~1.2.5, which 1.3.0 is outside; upgrade mkdirp or add an npm override',
    });
  });

  it('refuses when the copied version needs a dependency the tree does not hold where it would land', () => {
    const lock = plantedLockfile() as unknown as Lock;
    lock.packages['node_modules/legacy-util/node_modules/lodash']!['dependencies'] = { 'left-pad': '^1.0.0' };
    const result = upgradeLockfile(npmJson(lock), npmJson(plantedManifest()), {
      name: 'lodash',
      locations: ['node_modules/lodash'],
      to: '4.17.21',
    });
    expect(result).toEqual({
      ok: false,
      reason: 'lodash@4.17.21 at node_modules/lodash would need left-pad@^1.0.0, which the tree does not hold',
    });
  });

  it('updates the npm 6 copy of the tree in a lockfileVersion 2 file', () => {
    const lock = { ...plantedLockfile(), lockfileVersion: 2 } as unknown as Lock;
    lock.dependencies = {
      lodash: { version: '4.17.15', resolved: 'old', integrity: 'old' },
      'legacy-util': {
        version: '2.1.0',
        requires: { lodash: '4.17.21' },
        dependencies: { lodash: { version: '4.17.21', resolved: 'r', integrity: LODASH_FIXED_INTEGRITY } },
      },
    };
    const result = upgradeLockfile(npmJson(lock), npmJson(plantedManifest()), {
      name: 'lodash',
      locations: ['node_modules/lodash'],
      to: '4.17.21',
    });
    if (!result.ok) throw new Error(result.reason);
    expect((JSON.parse(result.lockfile) as Lock).dependencies!['lodash']).toMatchObject({
      version: '4.17.21',
      integrity: LODASH_FIXED_INTEGRITY,
    });
  });

  it('refuses a lockfile not in npm formatting rather than rewrite every line', () => {
    const result = upgradeLockfile(JSON.stringify(plantedLockfile()), npmJson(plantedManifest()), {
      name: 'lodash',
      locations: ['node_modules/lodash'],
      to: '4.17.21',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/not in npm's own formatting/);
  });
});
