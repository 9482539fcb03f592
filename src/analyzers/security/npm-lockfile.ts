import type { InstalledPackage, LockfileRead, LockfileReader } from './lockfile.ts';

/** One entry of package-lock.json's `packages` tree (lockfileVersion 2 and 3). */
export interface NpmLockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface NpmLockfile {
  lockfileVersion?: number;
  packages?: Record<string, NpmLockEntry>;
  [field: string]: unknown;
}

export const npmLockfileReader: LockfileReader = {
  manager: 'npm',
  fileNames: ['package-lock.json', 'npm-shrinkwrap.json'],
  read(text) {
    const parsed = parseNpmLockfile(text);
    return parsed.ok ? { ok: true, packages: installedPackages(parsed.lock) } : parsed;
  },
};

export function parseNpmLockfile(text: string): { ok: true; lock: NpmLockfile } | { ok: false; reason: string } {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  if (!lock || typeof lock !== 'object' || Array.isArray(lock)) return { ok: false, reason: 'not a JSON object' };
  const { lockfileVersion, packages } = lock as NpmLockfile;
  if (lockfileVersion === 1 || (packages === undefined && 'dependencies' in lock))
    return { ok: false, reason: 'lockfileVersion 1 has no `packages` tree; npm 7 or later rewrites it on the next npm install' };
  if (!packages || typeof packages !== 'object') return { ok: false, reason: 'no `packages` tree' };
  return { ok: true, lock: lock as NpmLockfile };
}

/** The package name a tree location holds: the last `node_modules/<name>` (scoped names keep their scope). */
export function nameAtLocation(location: string): string {
  const at = location.lastIndexOf('node_modules/');
  return at < 0 ? location : location.slice(at + 'node_modules/'.length);
}

/**
 * Where Node finds `name` when required from `from`: `from/node_modules/name`, then each enclosing
 * node_modules folder up to the root's, the first that the tree holds.
 */
export function resolveFrom(packages: Record<string, NpmLockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const up = base.lastIndexOf('/node_modules/');
    base = up < 0 ? '' : base.slice(0, up);
  }
}

function dependencyNames(entry: NpmLockEntry, withDev: boolean): string[] {
  return [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...Object.keys(entry.peerDependencies ?? {}),
    ...(withDev ? Object.keys(entry.devDependencies ?? {}) : []),
  ];
}

/** Follows a workspace link (`node_modules/app` → `packages/app`) to the folder it points at. */
function target(packages: Record<string, NpmLockEntry>, location: string): string {
  const entry = packages[location];
  return entry?.link && typeof entry.resolved === 'string' && packages[entry.resolved] ? entry.resolved : location;
}

/**
 * Every installed package (links and the project itself left out), each with its shortest chain of
 * dependencies from the project, found breadth first through Node's resolution; the root's and the
 * workspaces' own devDependencies count, not those of installed packages (npm does not install them).
 */
export function installedPackages(lock: NpmLockfile): InstalledPackage[] {
  const packages = lock.packages ?? {};
  const chains = new Map<string, string[]>();
  const queue: string[] = [];
  const start = (from: string) => {
    for (const name of dependencyNames(packages[from] ?? {}, true)) {
      const found = resolveFrom(packages, from, name);
      if (!found) continue;
      const at = target(packages, found);
      if (!chains.has(at)) {
        chains.set(at, [name]);
        queue.push(at);
      }
    }
  };
  start('');
  for (const [location, entry] of Object.entries(packages))
    if (location && !location.includes('node_modules/') && !entry.link) start(location); // workspaces
  while (queue.length) {
    const from = queue.shift()!;
    for (const name of dependencyNames(packages[from] ?? {}, false)) {
      const found = resolveFrom(packages, from, name);
      if (!found) continue;
      const at = target(packages, found);
      if (!chains.has(at)) {
        chains.set(at, [...chains.get(from)!, name]);
        queue.push(at);
      }
    }
  }
  const installed: InstalledPackage[] = [];
  for (const [location, entry] of Object.entries(packages)) {
    if (!location.includes('node_modules/') || entry.link || typeof entry.version !== 'string') continue;
    installed.push({
      name: entry.name ?? nameAtLocation(location),
      version: entry.version,
      location,
      path: chains.get(location) ?? [],
      dev: entry.dev === true,
    });
  }
  return installed;
}
