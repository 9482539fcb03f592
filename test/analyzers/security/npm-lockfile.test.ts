import { describe, expect, it } from 'vitest';
import { npmLockfileReader } from '../../../src/analyzers/security/npm-lockfile.ts';
import { npmJson, plantedLockfile } from './planted-project.ts';

describe("reading npm's package-lock.json", () => {
  it('lists every installed package with the chain of dependencies that pulls it in', () => {
    const read = npmLockfileReader.read(npmJson(plantedLockfile()));
    if (!read.ok) throw new Error(read.reason);
    const byLocation = Object.fromEntries(read.packages.map((p) => [p.location, p]));
    expect(Object.keys(byLocation).sort()).toEqual([
      'node_modules/ansi-regex',
      'node_modules/legacy-util',
      'node_modules/legacy-util/node_modules/lodash',
      'node_modules/lodash',
      'node_modules/minimist',
      'node_modules/mkdirp',
      'node_modules/strip-ansi',
    ]);
    expect(byLocation['node_modules/minimist']).toEqual({
      name: 'minimist',
      version: '1.2.5',
      location: 'node_modules/minimist',
      path: ['mkdirp', 'minimist'],
      dev: false,
    });
    expect(byLocation['node_modules/ansi-regex']!.path).toEqual(['strip-ansi', 'ansi-regex']);
    expect(byLocation['node_modules/ansi-regex']!.dev).toBe(true);
    expect(byLocation['node_modules/lodash']!.path).toEqual(['lodash']);
    expect(byLocation['node_modules/legacy-util/node_modules/lodash']!.path).toEqual(['legacy-util', 'lodash']);
  });

  it('follows workspace links and reads aliased packages by their real name', () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'mono', workspaces: ['packages/*'] },
        'node_modules/app': { resolved: 'packages/app', link: true },
        'packages/app': { name: 'app', version: '0.0.0', dependencies: { qs: '^6.0.0', 'old-lodash': 'npm:lodash@^3' } },
        'node_modules/qs': { version: '6.5.2' },
        'node_modules/old-lodash': { name: 'lodash', version: '3.10.1' },
      },
    };
    const read = npmLockfileReader.read(npmJson(lock));
    if (!read.ok) throw new Error(read.reason);
    expect(read.packages.map((p) => [p.name, p.version, p.path.join(' > ')])).toEqual([
      ['qs', '6.5.2', 'qs'],
      ['lodash', '3.10.1', 'old-lodash'],
    ]);
  });

  it('says why a lockfileVersion 1 file or broken JSON is skipped', () => {
    expect(npmLockfileReader.read(npmJson({ lockfileVersion: 1, dependencies: {} }))).toEqual({
      ok: false,
      reason: 'lockfileVersion 1 has no `packages` tree; npm 7 or later rewrites it on the next npm install',
    });
    const broken = npmLockfileReader.read('{"lockfileVersion": 3,');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.reason).toMatch(/^invalid JSON: /);
  });
});
