import semver from 'semver';
import type { OsvAdvisory, OsvAffected, OsvEvent } from './osv-advisory.ts';

/**
 * Whether an installed npm version falls in an OSV `affected` entry, by the schema's evaluation:
 * the events of a range, in version order, switch "affected" on (introduced ≤ v) and off
 * (fixed ≤ v, last_affected < v, limit ≤ v); `versions[]` lists affected versions outright. npm
 * versions are semver, so ranges typed SEMVER (osv.dev's export) and ECOSYSTEM (GitHub's database)
 * read the same; GIT ranges name commits and say nothing about a published version.
 */
export function affectsVersion(entry: OsvAffected, version: string): boolean {
  if (entry.versions?.includes(version)) return true;
  return (entry.ranges ?? []).some((range) => (range.type === 'SEMVER' || range.type === 'ECOSYSTEM') && inRange(range.events, version));
}

/** The advisory's `affected` entries for one npm package. */
export function entriesFor(record: OsvAdvisory, name: string): OsvAffected[] {
  return (record.affected ?? []).filter((a) => a.package?.ecosystem === 'npm' && a.package.name === name);
}

export function advisoryAffects(record: OsvAdvisory, name: string, version: string): boolean {
  return !record.withdrawn && entriesFor(record, name).some((entry) => affectsVersion(entry, version));
}

/**
 * The versions that fix a package for every advisory given, lowest first: each `fixed` event above
 * the installed version that no advisory still affects. Empty when none is published (a
 * `last_affected` with no later fix, or a malicious package, which has none).
 */
export function fixingVersions(records: OsvAdvisory[], name: string, installed: string): string[] {
  const candidates = new Set<string>();
  for (const record of records)
    for (const entry of entriesFor(record, name))
      for (const range of entry.ranges ?? [])
        for (const e of range.events) if ('fixed' in e && semver.valid(e.fixed) && semver.gt(e.fixed, installed)) candidates.add(e.fixed);
  return [...candidates].sort(semver.compare).filter((v) => !records.some((record) => advisoryAffects(record, name, v)));
}

function eventVersion(e: OsvEvent): string {
  return 'introduced' in e ? e.introduced : 'fixed' in e ? e.fixed : 'last_affected' in e ? e.last_affected : e.limit;
}

/** "0" is the schema's "from the first version"; semver cannot read it. */
function compareEventVersions(a: string, b: string): number {
  if (a === '0') return b === '0' ? 0 : -1;
  if (b === '0') return 1;
  return semver.compare(a, b);
}

function inRange(events: OsvEvent[], version: string): boolean {
  if (!semver.valid(version)) return false;
  // A range with a version semver cannot read is skipped rather than guessed at.
  if (events.some((e) => eventVersion(e) !== '0' && !semver.valid(eventVersion(e)))) return false;
  const ordered = [...events].sort((a, b) => compareEventVersions(eventVersion(a), eventVersion(b)));
  let affected = false;
  for (const e of ordered) {
    const at = eventVersion(e);
    const cmp = compareEventVersions(version, at);
    if ('introduced' in e && cmp >= 0) affected = true;
    else if (('fixed' in e || 'limit' in e) && cmp >= 0) affected = false;
    else if ('last_affected' in e && cmp > 0) affected = false;
  }
  return affected;
}
