import { lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The bubblewrap arguments that give a test run a filesystem of its own: the system (/usr, the
 * node installation, a few files of /etc) read-only, the worktree and its home read-write, a
 * private /tmp, and nothing else: not the user's checkout, not DATA_DIR, not the service's home.
 * The worktree's `.git` file points into the user's repository; the run sees that worktree's admin
 * folder, the objects and the refs read-only (git log/diff work), never the hooks or the config.
 */

const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
// Files of /etc that programs need to start; not /etc as a whole (EnvironmentFile secrets live there).
const ETC_FILES = [
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/etc/hosts',
  '/etc/resolv.conf',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/localtime',
];

/** `readOnly`: extra folders the run may read (the offline install's npm cache), bound at their own path. */
export function bwrapMounts(cwd: string, home: string, asOtherUser: boolean, readOnly: readonly string[] = []): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    const stat = lstatSync(dir, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else args.push('--ro-bind', dir, dir);
  }
  for (const file of ETC_FILES) args.push('--ro-bind-try', file, file);
  // node installed outside /usr (nvm, /opt/node): its prefix only.
  const nodePrefix = path.dirname(path.dirname(realpathSync(process.execPath)));
  if (!SYSTEM_DIRS.some((dir) => nodePrefix === dir || nodePrefix.startsWith(`${dir}/`))) args.push('--ro-bind', nodePrefix, nodePrefix);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  args.push(...gitMetadata(cwd, asOtherUser));
  for (const dir of readOnly) args.push('--ro-bind-try', dir, dir);
  args.push('--bind', cwd, cwd, '--bind', home, home, '--chdir', cwd);
  return args;
}

/** Read-only binds of what git needs to read this worktree, or nothing when cwd is not a linked worktree. */
function gitMetadata(cwd: string, asOtherUser: boolean): string[] {
  let gitdir: string;
  let common: string;
  try {
    const pointer = readFileSync(path.join(cwd, '.git'), 'utf8').trim();
    if (!pointer.startsWith('gitdir: ')) return [];
    gitdir = realpathSync(path.resolve(cwd, pointer.slice('gitdir: '.length)));
    common = realpathSync(path.resolve(gitdir, readFileSync(path.join(gitdir, 'commondir'), 'utf8').trim()));
  } catch {
    return [];
  }
  // Only a worktree admin folder of that repository (never a path a hostile .git file names elsewhere).
  if (path.dirname(gitdir) !== path.join(common, 'worktrees')) return [];
  // bwrap fails outright on a source the sandbox user cannot reach (a 0700 parent): then git is simply unavailable to the tests.
  if (asOtherUser && !worldSearchable(common)) return [];
  const args = ['--ro-bind', gitdir, gitdir];
  for (const part of ['objects', 'refs', 'packed-refs', 'HEAD'])
    args.push('--ro-bind-try', path.join(common, part), path.join(common, part));
  return args;
}

function worldSearchable(dir: string): boolean {
  for (let at = dir; ; at = path.dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (path.dirname(at) === at) return true;
  }
}
