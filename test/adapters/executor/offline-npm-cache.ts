/**
 * A real npm cache holding the upgrade project's packages, made with no network: each fixture
 * package is `npm pack`ed and `npm cache add`ed into a temporary folder (npm_config_cache points
 * there, never at ~/.npm). `npm ci --offline` then installs the project's lockfile from it.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Integrities } from './upgrade-project.ts';

const run = promisify(execFile);

interface FixturePackage {
  name: string;
  version: string;
  index: string;
  dependencies?: Record<string, string>;
}

const PACKAGES: FixturePackage[] = [
  { name: 'tiny-dep', version: '1.0.0', index: "module.exports = 'hello';\n" },
  { name: 'tiny-dep', version: '1.0.1', index: "module.exports = 'hello, world';\n" },
  { name: 'wrap-dep', version: '1.0.0', index: "module.exports = require('tiny-dep');\n", dependencies: { 'tiny-dep': '^1.0.1' } },
];

export interface OfflineNpmCache {
  /** The cache folder (readable by everyone, as the sandbox user must read it). */
  dir: string;
  /** An empty cache beside it, for the fail-fast case. */
  emptyDir: string;
  integrities: Integrities;
  /** The packed tarballs by registry file name (tiny-dep-1.0.0.tgz), for a fake registry to serve. */
  tarballs: Map<string, string>;
  cleanup(): Promise<void>;
}

export async function createOfflineNpmCache(): Promise<OfflineNpmCache> {
  const root = await mkdtemp(path.join(tmpdir(), 'il-npm-cache-'));
  const dir = path.join(root, 'cache');
  const emptyDir = path.join(root, 'empty');
  await mkdir(emptyDir, { recursive: true });
  const env = { ...process.env, npm_config_cache: dir, npm_config_update_notifier: 'false', npm_config_audit: 'false' };
  const hashes: Record<string, string> = {};
  const tarballs = new Map<string, string>();
  for (const pkg of PACKAGES) {
    const source = path.join(root, 'src', `${pkg.name}-${pkg.version}`);
    await mkdir(source, { recursive: true });
    const manifest = {
      name: pkg.name,
      version: pkg.version,
      main: 'index.js',
      ...(pkg.dependencies ? { dependencies: pkg.dependencies } : {}),
    };
    await writeFile(path.join(source, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(path.join(source, 'index.js'), pkg.index);
    const packed = await run('npm', ['pack', '--json', '--pack-destination', root], { cwd: source, env });
    const [info] = JSON.parse(packed.stdout) as { filename: string; integrity: string }[];
    await run('npm', ['cache', 'add', path.join(root, info!.filename)], { cwd: root, env });
    hashes[`${pkg.name}@${pkg.version}`] = info!.integrity;
    tarballs.set(info!.filename, path.join(root, info!.filename));
  }
  // mkdtemp makes 0700 folders; the sandbox user (nobody, when the service is root) reads the cache.
  await run('chmod', ['-R', 'a+rX', root]);
  await chmod(root, 0o755);
  if (!(await readdir(dir)).includes('_cacache')) throw new Error('npm cache add wrote no _cacache');
  return {
    dir,
    emptyDir,
    tarballs,
    integrities: { tiny100: hashes['tiny-dep@1.0.0']!, tiny101: hashes['tiny-dep@1.0.1']!, wrap100: hashes['wrap-dep@1.0.0']! },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
