import type { Finding } from '../../../domain/finding.ts';
import { upgradeLockfile } from '../../../analyzers/security/lockfile-upgrade.ts';
import { fileDiff } from './file-diff.ts';

export interface SecurityPlan {
  plan: string;
  patch?: string;
}

interface UpgradeFacts {
  lockfile: string;
  manifest: string;
  name: string;
  locations: string[];
  to: string | null;
  folder: string;
}

function upgradeFacts(finding: Finding): UpgradeFacts | null {
  const d = (finding.details ?? {}) as Record<string, unknown>;
  const { lockfile, manifest, package: name, locations, fixedVersion } = d;
  if (typeof lockfile !== 'string' || typeof manifest !== 'string' || typeof name !== 'string' || !Array.isArray(locations)) return null;
  const folder = lockfile.includes('/') ? lockfile.slice(0, lockfile.lastIndexOf('/')) : '.';
  return { lockfile, manifest, name, locations: locations.map(String), to: typeof fixedVersion === 'string' ? fixedVersion : null, folder };
}

/**
 * What a security finding asks for without a model. A vulnerable dependency: a patch to
 * package.json and package-lock.json when the lockfile already holds the fixed version (so the
 * integrity hash is npm's own, copied, never made up), else `npm install <pkg>@<fixed>` to run where
 * the registry is reachable. A committed secret: revoke first, since removing it from the code
 * does not remove it from history.
 */
export async function securityPlan(finding: Finding, readFile?: (path: string) => Promise<string | null>): Promise<SecurityPlan> {
  if (finding.category === 'secret') {
    const where =
      typeof finding.details?.['file'] === 'string' ? `${finding.details['file']}:${finding.details['line']}` : 'the file named';
    return {
      plan:
        `Revoke the credential at its issuer now and issue a new one: it is in the repository's history, so deleting the line does not withdraw it. ` +
        `Then read the new value from the environment or a secret store instead of ${where}, and remove the old value from history (git filter-repo) if the repository is shared beyond the team.`,
    };
  }
  const facts = upgradeFacts(finding);
  if (!facts) return { plan: 'Upgrade the affected package to a version no advisory affects, then run the test suite.' };
  if (!facts.to)
    return {
      plan: `No version of ${facts.name} free of these advisories is published: remove it, or replace the dependency that pulls it in (see the dependency path).`,
    };
  const command = `npm install ${facts.name}@${facts.to}`;
  const byHand = (why: string) => ({
    plan: `Run \`${command}\` in ${facts.folder} where the npm registry is reachable, and commit package.json and package-lock.json (${why}). Then run the test suite.`,
  });
  if (!readFile) return byHand('no offline patch: the lockfile was not read');
  const [lockText, manifestText] = await Promise.all([
    readFile(facts.lockfile).catch(() => null),
    readFile(facts.manifest).catch(() => null),
  ]);
  if (lockText === null) return byHand(`no offline patch: ${facts.lockfile} cannot be read`);
  const upgrade = upgradeLockfile(lockText, manifestText, { name: facts.name, locations: facts.locations, to: facts.to });
  if (!upgrade.ok) return byHand(`no offline patch: ${upgrade.reason}`);
  const patch = [
    upgrade.manifest !== undefined && manifestText !== null ? fileDiff(facts.manifest, manifestText, upgrade.manifest) : '',
    fileDiff(facts.lockfile, lockText, upgrade.lockfile),
  ].join('');
  return {
    patch,
    plan:
      `The patch moves ${facts.name} to ${facts.to} (${upgrade.changes.join('; ')}), copying the resolved URL and integrity hash of the ${facts.to} entry the lockfile already holds. ` +
      `\`npm ci\` then installs exactly that tarball. The executor accepts this edit of ${facts.lockfile} because it has an upgrade's shape (docs/EXECUTOR.md); its trial installs from the npm cache without the network. Without the executor, apply it by hand or run \`${command}\`.`,
  };
}
