/**
 * A project with a planted vulnerable dependency: tiny-dep 1.0.0 at the root (vulnerable, per a
 * made-up advisory), and wrap-dep 1.0.0, which holds its own tiny-dep 1.0.1 (fixed). The offline
 * planner moves the root copy to 1.0.1 by copying that entry.
 */
import type { DependencyUpgrade } from '../../../src/domain/proposal.ts';

export interface Integrities {
  tiny100: string;
  tiny101: string;
  wrap100: string;
}

/** Hashes in sha512's shape, for the tests that never install. */
export const SHAPED: Integrities = {
  tiny100: shaped('tiny-dep-1.0.0'),
  tiny101: shaped('tiny-dep-1.0.1'),
  wrap100: shaped('wrap-dep-1.0.0'),
};

export function shaped(seed: string): string {
  return `sha512-${Buffer.alloc(64, seed).toString('base64')}`;
}

export const tarball = (name: string, version: string, host = 'registry.npmjs.org') =>
  `https://${host}/${name}/-/${name.slice(name.lastIndexOf('/') + 1)}-${version}.tgz`;

export function upgradeManifest(range = '^1.0.0'): Record<string, unknown> {
  return {
    name: 'target',
    version: '1.0.0',
    private: true,
    type: 'module',
    scripts: { test: 'node --test' },
    dependencies: { 'tiny-dep': range, 'wrap-dep': '^1.0.0' },
  };
}

export function upgradeLockfile3(hashes: Integrities = SHAPED): Record<string, unknown> {
  return {
    name: 'target',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'target', version: '1.0.0', dependencies: { 'tiny-dep': '^1.0.0', 'wrap-dep': '^1.0.0' } },
      'node_modules/tiny-dep': { version: '1.0.0', resolved: tarball('tiny-dep', '1.0.0'), integrity: hashes.tiny100 },
      'node_modules/wrap-dep': {
        version: '1.0.0',
        resolved: tarball('wrap-dep', '1.0.0'),
        integrity: hashes.wrap100,
        dependencies: { 'tiny-dep': '^1.0.1' },
      },
      'node_modules/wrap-dep/node_modules/tiny-dep': {
        version: '1.0.1',
        resolved: tarball('tiny-dep', '1.0.1'),
        integrity: hashes.tiny101,
      },
    },
  };
}

export const TINY_UPGRADE: DependencyUpgrade = {
  lockfile: 'package-lock.json',
  manifest: 'package.json',
  package: 'tiny-dep',
  from: '1.0.0',
  to: '1.0.1',
  locations: ['node_modules/tiny-dep'],
  advisories: ['GHSA-tiny-0000-0000'],
};

/** An OSV advisory: tiny-dep before 1.0.1 is affected. */
export const TINY_ADVISORY = {
  schema_version: '1.6.0',
  id: 'GHSA-tiny-0000-0000',
  modified: '2026-11-01T00:00:00Z',
  published: '2026-11-01T00:00:00Z',
  summary: 'tiny-dep before 1.0.1 returns the wrong greeting',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'tiny-dep' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }],
    },
  ],
  database_specific: { severity: 'HIGH' },
};

export function npmJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
