/**
 * What the analyzers read from the target repository (TARGET_REPO): files at HEAD, history, blame
 * and churn. Nothing here writes. Paths are repository-relative with forward slashes; an adapter
 * refuses any path argument that is absolute, climbs out with `..`, or otherwise leaves the repository.
 */

export interface FileChange {
  /** Path after the commit (the new name of a renamed file). */
  path: string;
  /** Set when the commit renamed or copied the file from here. */
  previousPath?: string;
  /** Lines added; 0 for a binary file. */
  added: number;
  /** Lines deleted; 0 for a binary file. */
  deleted: number;
  binary: boolean;
}

export interface CommitInfo {
  sha: string;
  author: string;
  authorEmail: string;
  /** When the commit entered history (committer date): what "before the first occurrence" compares. */
  date: Date;
  /** When it was written (author date); differs from `date` after a rebase or cherry-pick. */
  authorDate: Date;
  subject: string;
  /** Every file the commit changed (not only the ones asked about). Empty for a merge. */
  files: FileChange[];
}

export interface CommitQuery {
  /** Only commits strictly before this instant. */
  before?: Date;
  /** Only commits at or after this instant. */
  since?: Date;
  /** At most this many, newest first. */
  limit?: number;
}

export interface BlameLine {
  /** 1-based line number in the blamed revision. */
  line: number;
  /** The commit that last changed the line. */
  sha: string;
  author: string;
  /** Committer date of that commit. */
  date: Date;
  /** The line as it reads in the blamed revision. */
  content: string;
  /** Path of the line in `sha` (differs from the blamed path when the file was renamed since). */
  path: string;
}

export interface BlameOptions {
  /** Revision to blame (a commit sha); HEAD when absent. */
  at?: string;
}

export interface FileChurn {
  commits: number;
  linesChanged: number;
}

export interface RepositoryReader {
  /** Files tracked at HEAD. */
  listFiles(): Promise<string[]>;
  /** A file's content at HEAD; null when HEAD has no such file. */
  readFile(path: string): Promise<string | null>;
  /** Commits that changed any of `paths` (every commit when `paths` is empty), newest first. */
  commitsTouching(paths: string[], options?: CommitQuery): Promise<CommitInfo[]>;
  /** Who last changed each of `lines` (1-based); lines past the end of the file are left out. */
  blame(path: string, lines: number[], options?: BlameOptions): Promise<BlameLine[]>;
  /** Per file: commits that changed it and lines added + deleted, from `since` (inclusive) to `until` (exclusive, default now). */
  churn(since: Date, until?: Date): Promise<Map<string, FileChurn>>;
  /** The sha HEAD points at. */
  head(): Promise<string>;
}

/** A path argument that is absolute, climbs out of the repository, or is otherwise not a repository path. */
export class InvalidRepositoryPath extends Error {
  override name = 'InvalidRepositoryPath';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Not a repository path (${reason}): ${JSON.stringify(path)}`);
  }
}
