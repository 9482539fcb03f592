import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real advisories (GitHub Advisory Database, CC-BY 4.0) the tests match against. */
export const OSV_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/osv');

/**
 * A GitHub token in the shape GitHub issues them (ghp_ + 36 characters). Made up; it was never issued.
 * Built from parts so that this file itself does not read as a leak to a scanner.
 */
export const PLANTED_TOKEN = ['ghp', '_', 'R7mK2pQx9LwV4nZc8TfY3hJb6DsA1eGu5oNi'].join('');

// Only lodash 4.17.21's hash is real (it is what the patch copies); the rest only need the shape.
const LODASH_4_17_21 = 'sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==';
const hash = (seed: string) => `sha512-${Buffer.from(seed.padEnd(64, '.')).toString('base64')}`;
const tarball = (name: string, version: string) => `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`;

export function plantedManifest(): Record<string, unknown> {
  return {
    name: 'shop',
    version: '1.0.0',
    scripts: { test: 'node --test' },
    dependencies: { lodash: '^4.17.15', 'legacy-util': '^2.0.0', mkdirp: '^0.5.5' },
    devDependencies: { 'strip-ansi': '^6.0.0' },
  };
}

/**
 * A lockfileVersion 3 tree with planted truth. Vulnerable: lodash 4.17.15 (direct; GHSA-35jh and
 * GHSA-p6mc; the tree also holds 4.17.21 under legacy-util, so an offline patch is possible),
 * minimist 1.2.5 (through mkdirp; GHSA-xvch only, since GHSA-vh95 was fixed in 1.2.3; no 1.2.6 in
 * the tree, so no offline patch), ansi-regex 5.0.0 (dev only, through strip-ansi; GHSA-93q8).
 * Safe: legacy-util, its own lodash 4.17.21, mkdirp, strip-ansi.
 */
export function plantedLockfile(): Record<string, unknown> {
  const manifest = plantedManifest();
  return {
    name: 'shop',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'shop', version: '1.0.0', dependencies: manifest['dependencies'], devDependencies: manifest['devDependencies'] },
      'node_modules/ansi-regex': {
        version: '5.0.0',
        resolved: tarball('ansi-regex', '5.0.0'),
        integrity: hash('ansi-regex-5.0.0'),
        dev: true,
        license: 'MIT',
        engines: { node: '>=8' },
      },
      'node_modules/legacy-util': {
        version: '2.1.0',
        resolved: tarball('legacy-util', '2.1.0'),
        integrity: hash('legacy-util-2.1.0'),
        license: 'MIT',
        dependencies: { lodash: '4.17.21' },
      },
      'node_modules/legacy-util/node_modules/lodash': {
        version: '4.17.21',
        resolved: tarball('lodash', '4.17.21'),
        integrity: LODASH_4_17_21,
        license: 'MIT',
      },
      'node_modules/lodash': {
        version: '4.17.15',
        resolved: tarball('lodash', '4.17.15'),
        integrity: hash('lodash-4.17.15'),
        license: 'MIT',
      },
      'node_modules/minimist': {
        version: '1.2.5',
        resolved: tarball('minimist', '1.2.5'),
        integrity: hash('minimist-1.2.5'),
        license: 'MIT',
      },
      'node_modules/mkdirp': {
        version: '0.5.5',
        resolved: tarball('mkdirp', '0.5.5'),
        integrity: hash('mkdirp-0.5.5'),
        license: 'MIT',
        dependencies: { minimist: '^1.2.5' },
        bin: { mkdirp: 'bin/cmd.js' },
      },
      'node_modules/strip-ansi': {
        version: '6.0.0',
        resolved: tarball('strip-ansi', '6.0.0'),
        integrity: hash('strip-ansi-6.0.0'),
        dev: true,
        license: 'MIT',
        dependencies: { 'ansi-regex': '^5.0.0' },
      },
    },
  };
}

/** As npm writes JSON: two-space indent and a final newline. */
export function npmJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export const LODASH_FIXED_INTEGRITY = LODASH_4_17_21;

/** The files of the planted project, as a commit writes them. */
export function plantedFiles(): Record<string, string> {
  return {
    'package.json': npmJson(plantedManifest()),
    'package-lock.json': npmJson(plantedLockfile()),
    'src/index.js': "import _ from 'lodash';\nexport const total = (xs) => _.sum(xs);\n",
    'src/github-client.js': `// A token pasted in while debugging.\nconst token = '${PLANTED_TOKEN}';\nexport const headers = { authorization: \`token \${token}\` };\n`,
    'yarn.lock': '# yarn lockfile v1\n',
    'tools/legacy/package-lock.json': npmJson({ name: 'legacy', lockfileVersion: 1, dependencies: { minimist: { version: '1.2.0' } } }),
    'tools/broken/package-lock.json': '{"lockfileVersion": 3, "packages": {',
  };
}
