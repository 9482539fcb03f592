import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { RunLeader } from './sandbox/leftover-runs.ts';

/**
 * One JSON file per test run in progress (an execution's, a trial's, a base count's), in the
 * journal folder: written before the run is spawned (its marker), again once it runs (its process
 * group and the leader's start time), removed when it ends. A record still there when recovery
 * holds the repository lease belongs to a run whose executor died; recovery kills what is left of it.
 */

export interface TestRunRecord {
  /** The random value of RUN_MARKER_VARIABLE in the run's environment. */
  marker: string;
  startedAt: string;
  /** The run's pids mean something only on this host. */
  host: string;
  executorPid: number;
  command: string;
  /** Absent until the run has been spawned (or where there is no /proc). */
  leader?: RunLeader;
}

export function createTestRunJournal(dir: string) {
  const fileFor = (marker: string) => path.join(dir, `${encodeURIComponent(marker)}.json`);
  return {
    async write(record: Omit<TestRunRecord, 'host' | 'executorPid'>): Promise<void> {
      await mkdir(dir, { recursive: true });
      const file = fileFor(record.marker);
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify({ ...record, host: hostname(), executorPid: process.pid } satisfies TestRunRecord));
      await rename(temp, file); // never half a record
    },
    async remove(marker: string): Promise<void> {
      await rm(fileFor(marker), { force: true });
    },
    /** Every record and leftover temp file; only for recovery, which holds the lease (no run is in progress). */
    async clear(): Promise<void> {
      await rm(dir, { recursive: true, force: true });
    },
    async list(): Promise<TestRunRecord[]> {
      const names = await readdir(dir).catch(() => [] as string[]);
      const records: TestRunRecord[] = [];
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        try {
          records.push(JSON.parse(await readFile(path.join(dir, name), 'utf8')) as TestRunRecord);
        } catch {
          // Removed meanwhile, or unreadable: nothing to act on.
        }
      }
      return records;
    },
  };
}

export type TestRunJournal = ReturnType<typeof createTestRunJournal>;
