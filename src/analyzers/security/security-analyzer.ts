import pLimit from 'p-limit';
import semver from 'semver';
import type { Finding } from '../../domain/finding.ts';
import type { Analyzer } from '../../ports/analyzer.ts';
import type { RepositoryReader } from '../../ports/repository.ts';
import type { AdvisorySource } from './advisory-source.ts';
import { advisoryAffects, fixingVersions } from './affected-versions.ts';
import { baseName, dirName, isProjectFile, UNSUPPORTED_LOCKFILES, type InstalledPackage, type LockfileReader } from './lockfile.ts';
import { upgradeLockfile } from './lockfile-upgrade.ts';
import { npmLockfileReader } from './npm-lockfile.ts';
import { scanForSecrets } from './secret-scan.ts';
import { dependencyFinding, secretFinding, type VulnerablePackage } from './security-findings.ts';

export interface SecuritySettings {
  /** Files over this size are not scanned for secrets (bundles, data). Default 1 MiB. */
  maxFileBytes?: number;
  /** Files scanned at once. Default 8. */
  scanConcurrency?: number;
}

export interface SecurityAnalyzerDeps {
  repo: RepositoryReader;
  /** The OSV advisories (OSV_DIR); without them only secrets are looked for, and a note says so. */
  advisories?: AdvisorySource;
  lockfileReaders?: LockfileReader[];
  settings?: SecuritySettings;
  /** Told what was skipped and why, for the cycle's log. Notes never carry a secret. */
  onNote?: (note: string) => void;
}

interface Lockfile {
  file: string;
  packages: InstalledPackage[];
}

/**
 * Looks at the target repository at HEAD for known-vulnerable dependencies (each lockfile's
 * installed versions against OSV advisories) and for committed secrets (secretlint's recommended
 * rules over every tracked file). A lockfile or advisory it cannot read is a note, never the end
 * of the run.
 */
export function createSecurityAnalyzer(deps: SecurityAnalyzerDeps): Analyzer {
  const readers = deps.lockfileReaders ?? [npmLockfileReader];
  const maxBytes = deps.settings?.maxFileBytes ?? 1024 * 1024;
  const note = deps.onNote ?? (() => {});

  async function readLockfiles(files: string[]): Promise<Lockfile[]> {
    const lockfiles: Lockfile[] = [];
    for (const file of files.filter(isProjectFile)) {
      const manager = UNSUPPORTED_LOCKFILES[baseName(file)];
      if (manager) note(`security: ${file} skipped: ${manager} lockfiles are not read yet (npm's package-lock.json is)`);
      const reader = readers.find((r) => r.fileNames.includes(baseName(file)));
      if (!reader) continue;
      const text = await deps.repo.readFile(file);
      if (text === null) continue;
      const read = reader.read(text);
      if (read.ok) lockfiles.push({ file, packages: read.packages });
      else note(`security: ${file} skipped: ${read.reason}`);
    }
    return lockfiles;
  }

  async function vulnerableDependencies(files: string[]): Promise<Finding[]> {
    const lockfiles = await readLockfiles(files);
    if (!deps.advisories) {
      if (lockfiles.length) note('security: dependencies not checked: OSV_DIR is unset (run improvement-loop osv-sync to fill it)');
      return [];
    }
    if (!lockfiles.length) return [];
    const names = new Set(lockfiles.flatMap((l) => l.packages.map((p) => p.name)));
    const lookup = await deps.advisories.lookup(names);
    for (const problem of lookup.problems) note(`security: advisory skipped: ${problem}`);
    const findings: Finding[] = [];
    for (const lockfile of lockfiles) {
      const byName = new Map<string, InstalledPackage[]>();
      for (const p of lockfile.packages) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
      // One finding per package and installed version: copies of one version share a fix; other majors need their own.
      for (const [name, copies] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
        const records = lookup.byPackage.get(name) ?? [];
        for (const version of [...new Set(copies.map((c) => c.version))].filter((v) => semver.valid(v)).sort(semver.compare)) {
          const advisories = records.filter((r) => advisoryAffects(r, name, version));
          if (!advisories.length) continue;
          const instances = copies.filter((c) => c.version === version);
          findings.push(dependencyFinding(await withFix(lockfile.file, name, version, instances, advisories)));
        }
      }
    }
    return findings;
  }

  async function withFix(
    lockfile: string,
    name: string,
    version: string,
    instances: InstalledPackage[],
    advisories: VulnerablePackage['advisories'],
  ): Promise<VulnerablePackage> {
    const dir = dirName(lockfile);
    const manifest = dir ? `${dir}/package.json` : 'package.json';
    const fixes = fixingVersions(advisories, name, version);
    // The same major when one is published: the smallest change that removes the advisories.
    const fixedVersion = fixes.find((v) => semver.major(v) === semver.major(version)) ?? fixes[0] ?? null;
    const base = { lockfile, manifest, name, version, instances, advisories, fixedVersion };
    if (!fixedVersion) return { ...base, noPatchReason: 'no version free of these advisories is published' };
    const [lockText, manifestText] = await Promise.all([deps.repo.readFile(lockfile), deps.repo.readFile(manifest)]);
    const upgrade = upgradeLockfile(lockText ?? '', manifestText, { name, locations: instances.map((i) => i.location), to: fixedVersion });
    return upgrade.ok ? base : { ...base, noPatchReason: upgrade.reason };
  }

  async function committedSecrets(files: string[]): Promise<Finding[]> {
    const limit = pLimit(deps.settings?.scanConcurrency ?? 8);
    let skipped = 0;
    const found = await Promise.all(
      files.filter(isProjectFile).map((file) =>
        limit(async () => {
          const text = await deps.repo.readFile(file);
          if (text === null || text.length > maxBytes || text.includes('\u0000')) {
            if (text !== null) skipped += 1;
            return [];
          }
          return scanForSecrets(file, text);
        }),
      ),
    );
    if (skipped) note(`security: ${skipped} binary or over-${maxBytes}-byte files not scanned for secrets`);
    return found.flat().map(secretFinding);
  }

  return {
    name: 'security',
    cycles: ['weekly'],
    async analyze() {
      const files = await deps.repo.listFiles();
      return [...(await vulnerableDependencies(files)), ...(await committedSecrets(files))];
    },
  };
}
