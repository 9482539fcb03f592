import type { Finding } from '../../domain/finding.ts';
import type { Priority } from '../../domain/proposal.ts';
import type { InstalledPackage } from './lockfile.ts';
import { severityOf, type OsvAdvisory, type Severity } from './osv-advisory.ts';
import type { SecretLeak } from './secret-scan.ts';

const ANALYZER = 'security';

/** One vulnerable package version of one lockfile: its copies in the tree, its advisories, the version that fixes them all. */
export interface VulnerablePackage {
  lockfile: string;
  /** package.json beside the lockfile. */
  manifest: string;
  name: string;
  /** The installed version the advisories affect (other versions of the package are findings of their own). */
  version: string;
  instances: InstalledPackage[];
  advisories: OsvAdvisory[];
  /** The lowest version no advisory given affects; null when none is published. */
  fixedVersion: string | null;
  /** Why package-lock.json cannot be edited without the registry; absent when the patch can be made. */
  noPatchReason?: string;
}

const PRIORITY: Record<Severity, Priority> = { critical: 'critical', high: 'high', moderate: 'medium', low: 'low', unknown: 'medium' };
const RANK: readonly Severity[] = ['unknown', 'low', 'moderate', 'high', 'critical'];

function worst(advisories: OsvAdvisory[]): Severity {
  const levels = advisories.map((a) => severityOf(a).level);
  // "unknown" ranks lowest for picking, but a list of only unknowns stays unknown.
  return levels.reduce<Severity>((acc, level) => (RANK.indexOf(level) > RANK.indexOf(acc) ? level : acc), 'unknown');
}

function chain(p: InstalledPackage): string {
  return p.path.length ? p.path.join(' > ') : `${p.location} (required by nothing in the tree)`;
}

function idWithAliases(a: OsvAdvisory): string {
  return a.aliases?.length ? `${a.id} (${a.aliases.join(', ')})` : a.id;
}

export function dependencyFinding(v: VulnerablePackage): Finding {
  const versions = v.version;
  const severity = worst(v.advisories);
  const direct = v.instances.some((i) => i.path.length === 1);
  const ids = v.advisories.map((a) => a.id);
  const title = v.fixedVersion
    ? `Upgrade ${v.name} ${versions} → ${v.fixedVersion} in ${v.lockfile} (${ids.join(', ')})`
    : `Replace ${v.name} ${versions} in ${v.lockfile}: no fixed version of it is published (${ids.join(', ')})`;
  const described = v.advisories.map((a) => `${idWithAliases(a)}, ${severityOf(a).level}: ${a.summary ?? 'no summary'}`).join('; ');
  const reached = v.instances.map((i) => `via ${chain(i)}${i.dev ? ' (dev only)' : ''}`).join('; ');
  return {
    analyzer: ANALYZER,
    type: 'security',
    category: 'dependency',
    fingerprint: `${ANALYZER}:dependency:${v.lockfile}:${v.name}@${v.version}`,
    title,
    summary:
      `${v.name} ${versions} is installed (${reached}) and affected by ${described}.` +
      (v.fixedVersion ? ` ${v.fixedVersion} is the lowest version none of them affects.` : ' No published version is free of them.'),
    evidence: [
      { label: 'advisories', value: v.advisories.map(idWithAliases).join(', ') },
      { label: 'severity', value: severity },
      { label: 'installed', value: versions },
      { label: 'fixed in', value: v.fixedVersion ?? 'none published' },
      { label: 'dependency path', value: v.instances.map(chain).join('; ') },
      { label: 'direct dependency', value: direct ? 'yes' : 'no' },
      { label: 'lockfile', value: v.lockfile },
      { label: 'offline patch', value: v.noPatchReason ? `none: ${v.noPatchReason}` : 'package-lock.json edit' },
    ],
    priority: PRIORITY[severity],
    // A new advisory for the same package makes a rejected proposal worth asking again.
    magnitude: v.advisories.length,
    subject: { files: direct ? [v.manifest, v.lockfile] : [v.lockfile] },
    // Even without an offline patch: a patch someone writes later is judged against the same facts.
    ...(v.fixedVersion
      ? {
          upgrade: {
            lockfile: v.lockfile,
            manifest: v.manifest,
            package: v.name,
            from: v.version,
            to: v.fixedVersion,
            locations: v.instances.map((i) => i.location),
            advisories: ids,
          },
        }
      : {}),
    details: {
      lockfile: v.lockfile,
      manifest: v.manifest,
      package: v.name,
      version: v.version,
      direct,
      locations: v.instances.map((i) => i.location),
      installed: v.instances.map((i) => ({ location: i.location, path: i.path, dev: i.dev })),
      fixedVersion: v.fixedVersion,
      advisories: v.advisories.map((a) => ({ id: a.id, aliases: a.aliases ?? [], severity: severityOf(a), summary: a.summary ?? '' })),
      ...(v.noPatchReason ? { noPatchReason: v.noPatchReason } : {}),
    },
  };
}

/** "@secretlint/secretlint-rule-github" → "github". */
function ruleName(rule: string): string {
  return rule.replace(/^@secretlint\/secretlint-rule-/, '');
}

/** A committed secret: file:line, the rule, the first characters. The value itself never enters a finding. */
export function secretFinding(leak: SecretLeak): Finding {
  const where = `${leak.file}:${leak.line}`;
  return {
    analyzer: ANALYZER,
    type: 'security',
    category: 'secret',
    fingerprint: `${ANALYZER}:secret:${leak.file}:${leak.rule}:${leak.key}`,
    title: `Revoke the ${leak.kind} committed in ${where}`,
    summary:
      `secretlint's ${ruleName(leak.rule)} rule found a ${leak.kind} (${leak.redacted}) at ${where}:${leak.column}. ` +
      `Whoever can read the repository or its history can use it until it is revoked.`,
    evidence: [
      { label: 'where', value: where },
      { label: 'kind', value: leak.kind },
      { label: 'secret', value: leak.redacted },
      { label: 'rule', value: leak.rule },
    ],
    priority: 'critical',
    magnitude: 1,
    subject: { files: [leak.file] },
    details: { file: leak.file, line: leak.line, column: leak.column, rule: leak.rule, kind: leak.kind, redacted: leak.redacted },
  };
}
