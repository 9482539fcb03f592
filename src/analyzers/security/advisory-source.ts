import type { OsvAdvisory } from './osv-advisory.ts';

/** What an advisory database answered: the advisories naming each package asked for, and the files it could not read. */
export interface AdvisoryLookup {
  byPackage: Map<string, OsvAdvisory[]>;
  /** One line per unreadable record, naming its file; the rest are still used. */
  problems: string[];
  /** Records read (readable ones, whatever package they name). */
  read: number;
}

/** The vulnerability database the security analyzer matches installed packages against. */
export interface AdvisorySource {
  /** e.g. "OSV folder /var/lib/osv (12,403 files)". */
  describe(): string;
  lookup(packageNames: ReadonlySet<string>): Promise<AdvisoryLookup>;
}
