import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Runs a bench script (cycle-floor.ts, cycle-once.ts) in a child process and parses the JSON line it
 * prints last, so each measurement has a process, and a peak RSS, of its own.
 */
export async function spawnMeasurement<T>(script: 'cycle-floor.ts' | 'cycle-once.ts', args: string[]): Promise<T> {
  const file = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${script} printed no result: ${stdout.slice(-500)}`);
  }
}

export const mib = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;
