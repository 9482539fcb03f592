import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/**
 * Finding and killing what a test run left running after its executor died. bwrap's
 * --die-with-parent and the PID namespace normally take the whole tree with the executor; without
 * them (TEST_ALLOW_UNSANDBOXED=true, or a wrapper that failed to set up) a `kill -9` of the service
 * leaves the run going. Two handles identify it, and neither can hit a stranger:
 * - its process group, killed only while the group leader is the very process that was started
 *   (same start time in /proc/<pid>/stat, same boot), so a recycled pid is never signalled;
 * - a random marker in its environment, which every descendant inherits, including one that left
 *   the group with `setsid`. A process carrying the marker is the run's by construction.
 * Linux only (/proc); elsewhere both lookups find nothing and nothing is killed.
 */

/** The environment variable that carries the run's marker into the test processes. */
export const RUN_MARKER_VARIABLE = 'IMPROVEMENT_LOOP_TEST_RUN';

/** The group leader as it was when the run started. */
export interface RunLeader {
  pgid: number;
  /** Field 22 of /proc/<pgid>/stat: clock ticks after boot, fixed for the life of the process. */
  startTime: string;
  /** /proc/sys/kernel/random/boot_id: a start time means nothing after a reboot. */
  bootId: string;
}

/** The start time of `pid`, or null when there is no such process (or no /proc). */
export function processStartTime(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

export function currentBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

/** What to record for a run just spawned as the leader of its own group; null without /proc. */
export function describeLeader(pid: number): RunLeader | null {
  const startTime = processStartTime(pid);
  return startTime === null ? null : { pgid: pid, startTime, bootId: currentBootId() };
}

/**
 * SIGKILLs the run's group (when its leader is still the one recorded) and every process carrying
 * its marker. Returns the pids signalled. Scans again after each kill round, since a process may
 * have forked between the scan and the signal.
 */
export async function killLeftoverRun(run: { marker: string; leader?: RunLeader }): Promise<number[]> {
  const killed: number[] = [];
  const leader = run.leader;
  if (leader && leader.bootId === currentBootId() && processStartTime(leader.pgid) === leader.startTime) {
    if (signal(-leader.pgid)) killed.push(leader.pgid);
  }
  for (let round = 0; round < 5; round++) {
    const marked = await processesMarked(run.marker);
    if (!marked.length) break;
    for (const pid of marked) if (signal(pid)) killed.push(pid);
  }
  return killed;
}

/** Live processes whose environment holds the marker (zombies have an empty environment). */
export async function processesMarked(marker: string): Promise<number[]> {
  const wanted = `${RUN_MARKER_VARIABLE}=${marker}`;
  const names = await readdir('/proc').catch(() => [] as string[]);
  const found: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    // Other users' processes are unreadable (EACCES), finished ones are gone (ENOENT): neither is ours to kill.
    const environ = await readFile(`/proc/${name}/environ`, 'latin1').catch(() => '');
    if (environ.split('\0').includes(wanted)) found.push(Number(name));
  }
  return found;
}

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields start after the last ')'.
    return stat
      .slice(stat.lastIndexOf(')') + 2)
      .trim()
      .split(' ');
  } catch {
    return null;
  }
}

function signal(target: number): boolean {
  try {
    process.kill(target, 'SIGKILL');
    return true;
  } catch {
    return false; // already gone
  }
}
