import { InvalidRepositoryPath } from '../../../ports/repository.ts';

/**
 * The one gate every path argument passes before it reaches git: returns the path relative to the
 * repository root with forward slashes, `.` segments and doubled slashes removed. Refuses absolute
 * paths, drive letters, `..` anywhere, NUL bytes and empty paths, so no argument can name a file
 * outside the repository (git then reads blobs from HEAD, which never follows a symlink).
 */
export function normalizeRepositoryPath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) throw new InvalidRepositoryPath(String(path), 'empty');
  if (path.includes('\0')) throw new InvalidRepositoryPath(path, 'NUL byte');
  const slashed = path.replaceAll('\\', '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) throw new InvalidRepositoryPath(path, 'absolute');
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new InvalidRepositoryPath(path, 'leaves the repository');
  if (segments.length === 0) throw new InvalidRepositoryPath(path, 'names the repository root');
  return segments.join('/');
}

/** A revision argument: a hex object name or HEAD, so nothing that reaches git can read as an option. */
export function checkRevision(revision: string): string {
  if (revision === 'HEAD' || /^[0-9a-f]{4,64}$/i.test(revision)) return revision;
  throw new InvalidRepositoryPath(revision, 'not a commit sha');
}
