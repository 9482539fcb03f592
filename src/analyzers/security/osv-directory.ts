import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import type { AdvisoryLookup, AdvisorySource } from './advisory-source.ts';
import { npmPackagesOf, parseAdvisory, type OsvAdvisory } from './osv-advisory.ts';

/** Files read at once: enough to keep the disk busy, few enough to stay under the open-files limit. */
const READ_CONCURRENCY = 64;

/**
 * A folder of OSV JSON files (OSV_DIR), as osv.dev's `all.zip` unpacks or as a test writes it, read
 * on every lookup so a sync between cycles is seen. A file that is not an OSV record is a problem
 * line naming it; it never stops the others from being read.
 */
export function osvDirectory(dir: string): AdvisorySource {
  return {
    describe: () => `OSV folder ${dir}`,
    async lookup(packageNames) {
      const files = await advisoryFiles(dir);
      const limit = pLimit(READ_CONCURRENCY);
      const result: AdvisoryLookup = { byPackage: new Map(), problems: [], read: 0 };
      const records = await Promise.all(
        files.map((file) =>
          limit(async (): Promise<OsvAdvisory | null> => {
            const text = await readFile(path.join(dir, file), 'utf8');
            try {
              return parseAdvisory(text, file);
            } catch (error) {
              result.problems.push((error as Error).message);
              return null;
            }
          }),
        ),
      );
      for (const record of records) {
        if (!record) continue;
        result.read += 1;
        for (const name of npmPackagesOf(record)) {
          if (!packageNames.has(name)) continue;
          const list = result.byPackage.get(name) ?? [];
          list.push(record);
          result.byPackage.set(name, list);
        }
      }
      result.problems.sort();
      return result;
    },
  };
}

/** The folder's .json files, relative and sorted, at any depth; a missing folder is an error that says which. */
async function advisoryFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch (error) {
    throw new Error(
      `OSV_DIR ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); run improvement-loop osv-sync`,
    );
  }
  return entries.filter((f) => f.endsWith('.json')).sort();
}
