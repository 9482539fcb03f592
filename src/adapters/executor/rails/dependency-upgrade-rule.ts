import semver from 'semver';
import { nameAtLocation } from '../../../analyzers/security/npm-lockfile.ts';
import type { DependencyUpgrade } from '../../../domain/proposal.ts';

/**
 * The one shape of lockfile edit the rails accept: a security proposal's upgrade. `npm ci` installs
 * exactly what package-lock.json says, from wherever its `resolved` URLs point, so the edit may move
 * the named package, at the locations the advisory found it, to the fixed version (its version,
 * resolved URL and integrity hash), and raise its range in package.json and the lockfile's root entry.
 * Nothing else: no other package, no new location, no install script, no URL off the registries the
 * lockfile already uses, no missing or weak hash. Pure: the caller replays the patch on the base files.
 */

export interface UpgradeFiles {
  lockBefore: string;
  lockAfter: string;
  /** null: the file is absent in the base (then it may not be created). */
  manifestBefore: string | null;
  manifestAfter: string | null;
}

/** npm's own registry; the lockfile's existing https hosts are allowed beside it (a private mirror). */
export const DEFAULT_REGISTRY_HOST = 'registry.npmjs.org';

/** The only fields of a tree entry an upgrade changes; everything else (dependencies, bin, hasInstallScript...) stays. */
const UPGRADE_FIELDS = new Set(['version', 'resolved', 'integrity']);
const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;
/** A range as npm writes one for a registry version (no tags, URLs, git or file specs, no "*"). */
const PLAIN_RANGE = /^(\^|~|>=)?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
/** One sha512 hash, as npm 7+ writes it: sha1 is too weak to pin a tarball somebody else serves. */
const SHA512 = /^sha512-[A-Za-z0-9+/]{86}==$/;

type Json = Record<string, unknown>;

/** Every reason the edit is not the upgrade's shape; empty when it is. */
export function judgeUpgradeEdit(upgrade: DependencyUpgrade, files: UpgradeFiles): string[] {
  const before = parseObject(files.lockBefore);
  const after = parseObject(files.lockAfter);
  if (!before || !after) return [`${upgrade.lockfile} is not a JSON object before or after the change`];
  const version = before['lockfileVersion'];
  if ((version !== 2 && version !== 3) || after['lockfileVersion'] !== version)
    return [`${upgrade.lockfile}: only lockfileVersion 2 or 3 can be checked, and the change may not alter it`];
  const reasons: string[] = [];
  for (const key of changedKeys(before, after))
    if (key !== 'packages' && key !== 'dependencies') reasons.push(`${upgrade.lockfile}: the change alters its top-level "${key}"`);
  const packagesBefore = asObject(before['packages']);
  const packagesAfter = asObject(after['packages']);
  if (!packagesBefore || !packagesAfter) return [...reasons, `${upgrade.lockfile} has no "packages" tree`];
  const hosts = registryHosts(packagesBefore);
  const moved = new Map<string, Json>();
  for (const location of changedKeys(packagesBefore, packagesAfter)) {
    const entryBefore = asObject(packagesBefore[location]);
    const entryAfter = asObject(packagesAfter[location]);
    if (location === '') continue; // the root entry mirrors package.json; judged with it below
    if (!entryBefore || !entryAfter) {
      reasons.push(
        `${upgrade.lockfile}: the change ${entryBefore ? 'removes' : 'adds'} ${location}, which the upgrade of ${upgrade.package} does not`,
      );
      continue;
    }
    const problems = judgeMovedEntry(upgrade, location, entryBefore, entryAfter, hosts);
    reasons.push(...problems.map((p) => `${upgrade.lockfile}: ${location} ${p}`));
    if (!problems.length) moved.set(location, entryAfter);
  }
  if (!reasons.length && moved.size === 0)
    reasons.push(`${upgrade.lockfile}: the change moves no copy of ${upgrade.package} to ${upgrade.to}`);
  if (version === 2)
    reasons.push(...judgeLegacyTree(upgrade, asObject(before['dependencies']), asObject(after['dependencies']), packagesAfter));
  reasons.push(...judgeRanges(upgrade, files, asObject(packagesBefore['']) ?? {}, asObject(packagesAfter['']) ?? {}));
  return reasons;
}

function judgeMovedEntry(upgrade: DependencyUpgrade, location: string, before: Json, after: Json, hosts: ReadonlySet<string>): string[] {
  const name = typeof before['name'] === 'string' ? before['name'] : nameAtLocation(location);
  if (name !== upgrade.package || !upgrade.locations.includes(location))
    return [`changes, but only ${upgrade.package} at ${upgrade.locations.join(', ')} may change (the advisories' finding)`];
  if (before['link'] !== undefined || after['link'] !== undefined) return ['is a link, which an upgrade never edits'];
  const reasons: string[] = [];
  for (const field of changedKeys(before, after)) {
    if (field === 'hasInstallScript') reasons.push('gains or changes "hasInstallScript"; an upgrade may not add an install script');
    else if (!UPGRADE_FIELDS.has(field)) reasons.push(`changes "${field}"; an upgrade changes only version, resolved and integrity`);
  }
  if (after['version'] !== upgrade.to) reasons.push(`would be ${String(after['version'])}, not the fixed version ${upgrade.to}`);
  const resolved = resolvedProblem(upgrade.package, upgrade.to, after['resolved'], hosts);
  if (resolved) reasons.push(resolved);
  if (typeof after['integrity'] !== 'string' || !SHA512.test(after['integrity']))
    reasons.push('has no single sha512 integrity hash, so npm could not check what it downloads');
  return reasons;
}

/** A registry tarball URL for exactly name@version on an allowed host, or why not. */
function resolvedProblem(name: string, version: string, resolved: unknown, hosts: ReadonlySet<string>): string | null {
  if (typeof resolved !== 'string') return 'has no "resolved" URL';
  let url: URL;
  try {
    url = new URL(resolved);
  } catch {
    return `resolves to ${JSON.stringify(resolved)}, which is not a registry URL (git, file and path specs are refused)`;
  }
  if (url.protocol !== 'https:')
    return `resolves to ${JSON.stringify(resolved)}; only https registry URLs are allowed (no git, file or http)`;
  if (!hosts.has(url.host.toLowerCase()))
    return `resolves to the host ${url.host}, which is neither ${DEFAULT_REGISTRY_HOST} nor a host the lockfile already uses`;
  if (url.username || url.password || url.search || url.hash) return `resolves to a URL with credentials, a query or a fragment`;
  const file = `${name.slice(name.lastIndexOf('/') + 1)}-${version}.tgz`;
  if (!url.pathname.endsWith(`/${name}/-/${file}`))
    return `resolves to ${url.pathname}, which is not the registry tarball of ${name}@${version} (…/${name}/-/${file})`;
  return null;
}

/** The https hosts the base lockfile already downloads from, and npm's registry. */
function registryHosts(packages: Json): Set<string> {
  const hosts = new Set([DEFAULT_REGISTRY_HOST]);
  for (const entry of Object.values(packages)) {
    const resolved = asObject(entry)?.['resolved'];
    if (typeof resolved !== 'string') continue;
    try {
      const url = new URL(resolved);
      if (url.protocol === 'https:') hosts.add(url.host.toLowerCase());
    } catch {
      // A path or git spec names no registry.
    }
  }
  return hosts;
}

/** lockfileVersion 2 repeats each location under nested `dependencies`; each copy must say what `packages` says. */
function judgeLegacyTree(upgrade: DependencyUpgrade, before: Json | undefined, after: Json | undefined, packages: Json): string[] {
  if (!before || !after) return before === after ? [] : [`${upgrade.lockfile}: the change adds or removes its "dependencies" tree`];
  const reasons: string[] = [];
  const walk = (levelBefore: Json, levelAfter: Json, prefix: string) => {
    for (const name of changedKeys(levelBefore, levelAfter)) {
      const location = `${prefix}node_modules/${name}`;
      const nodeBefore = asObject(levelBefore[name]);
      const nodeAfter = asObject(levelAfter[name]);
      if (!nodeBefore || !nodeAfter) {
        reasons.push(`${upgrade.lockfile}: the change adds or removes dependencies entry ${location}`);
        continue;
      }
      for (const field of changedKeys(nodeBefore, nodeAfter)) {
        if (field === 'dependencies') continue;
        const entry = asObject(packages[location]);
        const allowed = name === upgrade.package && upgrade.locations.includes(location) && UPGRADE_FIELDS.has(field);
        if (!allowed || entry?.[field] !== nodeAfter[field])
          reasons.push(`${upgrade.lockfile}: dependencies entry ${location} changes "${field}" beyond what its packages entry says`);
      }
      walk(asObject(nodeBefore['dependencies']) ?? {}, asObject(nodeAfter['dependencies']) ?? {}, `${location}/`);
    }
  };
  walk(before, after, '');
  return reasons;
}

/** package.json and the lockfile's root entry may only raise the package's range, together, to one `to` satisfies. */
function judgeRanges(upgrade: DependencyUpgrade, files: UpgradeFiles, rootBefore: Json, rootAfter: Json): string[] {
  const reasons: string[] = [];
  const manifestBefore = files.manifestBefore === null ? null : parseObject(files.manifestBefore);
  const manifestAfter = files.manifestAfter === null ? null : parseObject(files.manifestAfter);
  if (files.manifestBefore !== files.manifestAfter && (!manifestBefore || !manifestAfter))
    return [`${upgrade.manifest} is not a JSON object before or after the change, or the change creates or deletes it`];
  const rangesIn = (doc: Json | null | undefined, name: string): (string | undefined)[] =>
    SECTIONS.map((s) => asObject(doc?.[s])?.[name]).map((v) => (typeof v === 'string' ? v : undefined));
  const judge = (label: string, docBefore: Json, docAfter: Json) => {
    for (const key of changedKeys(docBefore, docAfter)) {
      if (!(SECTIONS as readonly string[]).includes(key)) {
        reasons.push(`${label}: the change alters "${key}"; an upgrade changes only the range of ${upgrade.package}`);
        continue;
      }
      for (const name of changedKeys(asObject(docBefore[key]) ?? {}, asObject(docAfter[key]) ?? {})) {
        const range = asObject(docAfter[key])?.[name];
        if (name !== upgrade.package) reasons.push(`${label}: the change alters ${key}.${name}; only ${upgrade.package} may change`);
        else if (typeof range !== 'string' || !PLAIN_RANGE.test(range) || !semver.satisfies(upgrade.to, range))
          reasons.push(`${label}: ${key}.${name} becomes ${JSON.stringify(range)}, not a plain version range ${upgrade.to} satisfies`);
      }
    }
  };
  if (manifestBefore && manifestAfter) judge(upgrade.manifest, manifestBefore, manifestAfter);
  judge(`${upgrade.lockfile} (root entry)`, rootBefore, rootAfter);
  if (files.manifestBefore === files.manifestAfter && changedKeys(rootBefore, rootAfter).length === 0) return reasons;
  const manifestRanges = rangesIn(manifestAfter ?? manifestBefore, upgrade.package);
  const rootRanges = rangesIn(rootAfter, upgrade.package);
  if (manifestRanges.some((r, i) => r !== rootRanges[i]))
    reasons.push(`${upgrade.manifest} and ${upgrade.lockfile}'s root entry disagree on the range of ${upgrade.package}`);
  return reasons;
}

function changedKeys(before: Json, after: Json): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

function asObject(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function parseObject(text: string): Json | undefined {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}
