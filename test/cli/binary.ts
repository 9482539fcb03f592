import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(REPO, 'bin', 'improvement-loop.js');
export const SEED_SCRIPT = path.join(REPO, 'scripts', 'run-improvement-cycle');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temp DATA_DIR for one test file, and a cwd outside the repository to prove the binary does not depend on it. */
export async function makeDataDir(): Promise<{ dataDir: string; cwd: string; remove(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'improvement-loop-cli-'));
  return { dataDir: path.join(root, 'data'), cwd: root, remove: () => rm(root, { recursive: true, force: true }) };
}

/**
 * Runs the real binary as a child process, never through a terminal, with a clean environment: no
 * REDIS_URL (so the embedded store under DATA_DIR), no NO_COLOR (so a missing color is the CLI's
 * doing, not the variable's), nothing inherited from the machine beyond PATH and HOME.
 */
export function runBinary(
  args: string[],
  options: { dataDir: string; cwd: string; env?: Record<string, string>; executable?: string },
): Promise<Run> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    DATA_DIR: options.dataDir,
    // A small bundled sample: generated in a fraction of a second, with the same planted problems.
    SAMPLE_METRIC_ROWS: '20000',
    SAMPLE_INTERACTIONS: '3000',
    // Pinned where the generator writes it, so cycles without --as-of read no rows (outside tests it ends today).
    SAMPLE_END: '2026-01-31T00:00:00Z',
    ...options.env,
  };
  const [file, argv] = options.executable ? [options.executable, args] : [process.execPath, [BIN, ...args]];
  return new Promise((resolve) => {
    execFile(file, argv, { cwd: options.cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every file under `dir` with its size, modification time and content hash: equal snapshots mean nothing was written. */
export async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const snapshot: Record<string, string> = {};
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name);
    const info = await stat(full);
    const key = path.relative(dir, full);
    if (entry.isDirectory()) {
      snapshot[`${key}/`] = `dir mtime=${info.mtimeMs}`;
      continue;
    }
    const hash = createHash('sha256')
      .update(await readFile(full))
      .digest('hex');
    snapshot[key] = `size=${info.size} mtime=${info.mtimeMs} sha256=${hash}`;
  }
  return snapshot;
}

export const ANSI_ESCAPE = /\u001b\[/;
