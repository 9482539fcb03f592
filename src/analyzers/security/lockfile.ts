/** A package as a lockfile records it installed, with how the project comes to depend on it. */
export interface InstalledPackage {
  name: string;
  version: string;
  /** Where it sits in the lockfile's tree, e.g. "node_modules/body-parser/node_modules/qs". */
  location: string;
  /**
   * The shortest chain of dependencies from the project to it, top-level dependency first:
   * ["express", "body-parser", "qs"]. Empty when nothing in the tree requires it (an extraneous entry).
   */
  path: string[];
  /** Only development dependencies lead to it. */
  dev: boolean;
}

export type LockfileRead = { ok: true; packages: InstalledPackage[] } | { ok: false; reason: string };

/**
 * One package manager's lockfile format. npm's package-lock.json is read; yarn.lock and
 * pnpm-lock.yaml are recognised and skipped with a note until a reader is written for them.
 */
export interface LockfileReader {
  readonly manager: string;
  /** File names this reader understands (at the repository's root or in any folder). */
  readonly fileNames: readonly string[];
  read(text: string): LockfileRead;
}

/** Lockfiles of managers without a reader yet: named in a note so nobody takes silence for safety. */
export const UNSUPPORTED_LOCKFILES: Readonly<Record<string, string>> = {
  'yarn.lock': 'yarn',
  'pnpm-lock.yaml': 'pnpm',
  'bun.lockb': 'bun',
  'bun.lock': 'bun',
};

export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

export function dirName(file: string): string {
  const at = file.lastIndexOf('/');
  return at < 0 ? '' : file.slice(0, at);
}

/** Lockfiles inside node_modules belong to packages, not to the project. */
export function isProjectFile(file: string): boolean {
  return !/(?:^|\/)node_modules\//.test(file);
}
