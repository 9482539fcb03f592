import { spawnSync } from 'node:child_process';

/**
 * What this machine lets the sandbox use, probed once: Linux namespaces through `unshare` (a network
 * namespace with only a down loopback = no network; a PID namespace so the whole process tree dies
 * with its first process) and `prlimit` for resource limits. Where a tool is missing or refused (no
 * user namespaces in the container, macOS), the sandbox runs without it and says so in a warning.
 */

export interface Isolation {
  /** Prefix that puts the command in fresh network + PID namespaces, or [] when unavailable. */
  namespaces: string[];
  /** Prefix that puts it in a PID namespace only (for dependency installs, which need the network). */
  pidOnly: string[];
  prlimit: string | null;
  setpriv: string | null;
  /** Prefix that SIGKILLs the run when the executor dies (kill -9 included), or [] when unavailable. */
  dieWithParent: string[];
  /** bubblewrap, when it can make user, mount, PID and network namespaces here (as the sandbox user when root). */
  bwrap: string | null;
  /** Human-readable gaps, e.g. "no network namespace: tests can reach the network". */
  warnings: string[];
}

let probed: Isolation | undefined;

export function probeIsolation(): Isolation {
  if (probed) return probed;
  const warnings: string[] = [];
  const root = process.getuid?.() === 0;
  // Without root, a user namespace mapping us to root inside gives the rights to make the others.
  const user = root ? [] : ['--map-root-user'];
  const withNet = ['unshare', ...user, '--net', '--pid', '--fork', '--kill-child', '--mount-proc'];
  const pidOnly = ['unshare', ...user, '--pid', '--fork', '--kill-child', '--mount-proc'];
  const works = (argv: string[]) => spawnSync(argv[0]!, [...argv.slice(1), 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  const namespaces = works(withNet) ? withNet : [];
  if (!namespaces.length)
    warnings.push(
      'unshare --net --pid is unavailable here: test runs can reach the network and may leave processes that escape their group',
    );
  const prlimit = works(['prlimit', '--']) ? 'prlimit' : null;
  if (!prlimit) warnings.push('prlimit is unavailable here: test runs have no memory or process limits');
  const setpriv = works(['setpriv', '--']) ? 'setpriv' : null;
  const dieWithParent = works(['setpriv', '--pdeathsig', 'KILL', '--']) ? ['setpriv', '--pdeathsig', 'KILL', '--'] : [];
  if (!dieWithParent.length)
    warnings.push('setpriv --pdeathsig is unavailable here: a test run outlives an executor killed with -9 until its own end');
  // As root the run drops to nobody before bwrap, so unprivileged user namespaces must work for nobody too.
  const asSandboxUser = root && setpriv ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : [];
  const bwrap = works([...asSandboxUser, 'bwrap', '--unshare-all', '--die-with-parent', '--ro-bind', '/', '/']) ? 'bwrap' : null;
  if (!bwrap)
    warnings.push('bubblewrap (bwrap) is missing or cannot create user namespaces here: test runs would see the whole filesystem');
  probed = { bwrap, namespaces, pidOnly: works(pidOnly) ? pidOnly : [], prlimit, setpriv, dieWithParent, warnings };
  return probed;
}
