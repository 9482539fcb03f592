import semver from 'semver';
import { nameAtLocation, parseNpmLockfile, resolveFrom, type NpmLockEntry, type NpmLockfile } from './npm-lockfile.ts';

/** The edited files, in npm's own formatting, or why the edit cannot be made offline. */
export type LockfileUpgrade = { ok: true; lockfile: string; manifest?: string; changes: string[] } | { ok: false; reason: string };

export interface UpgradeRequest {
  name: string;
  /** Tree locations holding a vulnerable version. */
  locations: string[];
  to: string;
}

/** Fields that say what a location is for (a dev-only copy stays dev-only), not what the package is. */
const ROLE_FIELDS = ['dev', 'optional', 'devOptional', 'peer'] as const;
const MANIFEST_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/**
 * Moves `name` at each location to version `to` in package-lock.json (and in package.json when the
 * project depends on it directly), without the network: only when the lockfile already holds `to`
 * elsewhere, so its `resolved` URL and `integrity` hash are npm's own, and only when everything
 * the copied entry requires resolves from its new place to a version in range, and everything that
 * requires it there accepts `to`. Anything less would be a lockfile `npm ci` rejects or, worse,
 * installs something nobody checked; then the answer is why, and the plan is `npm install`.
 */
export function upgradeLockfile(lockText: string, manifestText: string | null, request: UpgradeRequest): LockfileUpgrade {
  const parsed = parseNpmLockfile(lockText);
  if (!parsed.ok) return parsed;
  const lock = parsed.lock;
  const packages = lock.packages!;

  const donor = Object.entries(packages).find(
    ([location, entry]) =>
      (entry.name ?? nameAtLocation(location)) === request.name && entry.version === request.to && entry.resolved && entry.integrity,
  );
  if (!donor)
    return {
      ok: false,
      reason: `package-lock.json holds no ${request.name}@${request.to} to copy its resolved URL and integrity hash from; only the registry can give them`,
    };
  // Checked after the donor: serializing a large lockfile is the costly step, and most upgrades have no donor.
  const lockFormat = formatOf(lockText, lock);
  if (!lockFormat) return { ok: false, reason: "package-lock.json is not in npm's own formatting, so a rewrite would touch every line" };
  const [, template] = donor;
  const changes: string[] = [];
  const rootRanges: { section: string; range: string }[] = [];
  for (const location of request.locations) {
    const unmet = unmetDependencies(packages, location, template);
    if (unmet)
      return { ok: false, reason: `${request.name}@${request.to} at ${location} would need ${unmet}, which the tree does not hold` };
    for (const requirer of requirersOf(packages, request.name, location)) {
      const range = requiredRange(packages[requirer]!, request.name);
      if (requirer === '' && range !== undefined) {
        rootRanges.push({ section: sectionOf(packages[''] ?? {}, request.name) ?? 'dependencies', range });
        continue;
      }
      if (range !== undefined && !semver.satisfies(request.to, range))
        return {
          ok: false,
          reason: `${requirer || 'the project'} requires ${request.name}@${range}, which ${request.to} is outside; upgrade ${nameAtLocation(requirer)} or add an npm override`,
        };
    }
    const roles = Object.fromEntries(
      ROLE_FIELDS.filter((f) => packages[location]?.[f] !== undefined).map((f) => [f, packages[location]![f]]),
    );
    const copied = Object.fromEntries(Object.entries(template).filter(([field]) => !(ROLE_FIELDS as readonly string[]).includes(field)));
    const before = packages[location]?.version;
    packages[location] = { ...copied, ...roles } as NpmLockEntry;
    if (lock.lockfileVersion === 2 && !updateLegacyTree(lock, location, template))
      return { ok: false, reason: `the lockfileVersion 2 "dependencies" section has no entry for ${location}` };
    changes.push(`${location}: ${before} → ${request.to}`);
  }

  let manifest: string | undefined;
  if (rootRanges.length) {
    if (manifestText === null) return { ok: false, reason: 'the project depends on it directly, but package.json is missing' };
    const edited = editManifest(manifestText, request.name, request.to);
    if (!edited.ok) return edited;
    manifest = edited.text;
    for (const { section } of rootRanges) {
      const rootEntry = packages[''] as NpmLockEntry;
      const ranges = rootEntry[section] as Record<string, string> | undefined;
      if (ranges?.[request.name] !== undefined) ranges[request.name] = edited.range;
    }
    changes.push(`package.json: ${request.name} ${rootRanges[0]!.range} → ${edited.range}`);
  }
  return { ok: true, lockfile: serialize(lock, lockFormat), ...(manifest !== undefined ? { manifest } : {}), changes };
}

/** The first dependency of `entry` that does not resolve from `location` to a version in its range, as "name@range". */
function unmetDependencies(packages: Record<string, NpmLockEntry>, location: string, entry: NpmLockEntry): string | null {
  for (const [name, range] of Object.entries(entry.dependencies ?? {})) {
    const found = resolveFrom(packages, location, name);
    const version = found ? packages[found]?.version : undefined;
    if (!version || !semver.validRange(range) || !semver.satisfies(version, range)) return `${name}@${range}`;
  }
  return null;
}

/** Every tree entry (the project "" included) whose requirement of `name` resolves to `location`. */
function requirersOf(packages: Record<string, NpmLockEntry>, name: string, location: string): string[] {
  return Object.keys(packages).filter(
    (from) => requiredRange(packages[from]!, name) !== undefined && resolveFrom(packages, from, name) === location,
  );
}

function requiredRange(entry: NpmLockEntry, name: string): string | undefined {
  for (const section of [...MANIFEST_SECTIONS, 'peerDependencies'] as const) {
    const range = entry[section]?.[name];
    if (range !== undefined) return range;
  }
  return undefined;
}

function sectionOf(entry: Record<string, unknown>, name: string): string | undefined {
  return MANIFEST_SECTIONS.find((s) => (entry[s] as Record<string, string> | undefined)?.[name] !== undefined);
}

/** lockfileVersion 2 repeats the tree for npm 6 under `dependencies`, nested by `dependencies` per level. */
function updateLegacyTree(lock: NpmLockfile, location: string, entry: NpmLockEntry): boolean {
  const names = location.split(/(?:^|\/)node_modules\//).filter(Boolean);
  let level = lock['dependencies'] as Record<string, Record<string, unknown>> | undefined;
  let node: Record<string, unknown> | undefined;
  for (const name of names) {
    node = level?.[name];
    if (!node) return false;
    level = node['dependencies'] as Record<string, Record<string, unknown>> | undefined;
  }
  if (!node) return false;
  node['version'] = entry.version;
  node['resolved'] = entry.resolved;
  node['integrity'] = entry.integrity;
  if (entry.dependencies) node['requires'] = { ...entry.dependencies };
  else delete node['requires'];
  return true;
}

/** The range package.json gets: the old one's operator kept (^, ~ or exact), its version raised to `to`. */
function editManifest(text: string, name: string, to: string): { ok: true; text: string; range: string } | { ok: false; reason: string } {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'package.json is not valid JSON' };
  }
  const format = formatOf(text, manifest);
  if (!format) return { ok: false, reason: "package.json is not in npm's own formatting, so a rewrite would touch every line" };
  const section = sectionOf(manifest, name);
  if (!section) return { ok: false, reason: `package.json does not list ${name}` };
  const ranges = manifest[section] as Record<string, string>;
  const old = ranges[name]!;
  const operator = /^\s*([~^]|>=)?\s*\d/.exec(old);
  if (!operator || !semver.validRange(old))
    return { ok: false, reason: `package.json asks for ${name}@${old}, which is not a plain version range to raise` };
  const range = `${operator[1] ?? ''}${to}`;
  ranges[name] = range;
  return { ok: true, text: serialize(manifest, format), range };
}

interface JsonFormat {
  indent: string;
  newline: string;
  finalNewline: boolean;
}

/** npm writes JSON with a fixed indent and a final newline; a file in that shape can be rewritten line for line. */
function formatOf(text: string, value: unknown): JsonFormat | null {
  const indent = /^[{[]\r?\n([ \t]+)/.exec(text)?.[1] ?? '  ';
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const format = { indent, newline, finalNewline: /\r?\n$/.test(text) };
  return serialize(value, format) === text ? format : null;
}

function serialize(value: unknown, format: JsonFormat): string {
  const body = JSON.stringify(value, null, format.indent).replace(/\n/g, format.newline);
  return format.finalNewline ? `${body}${format.newline}` : body;
}
