import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * One JSON file per running execution, beside the worktrees: what recovery needs to clean up after
 * a process that died mid-execution (which worktree, which branch, which proposal version it moved
 * to `executing`). The proposal in `executing` is the other half of the journal; recovery works
 * from either, so a crash between the two writes loses nothing.
 */

export interface JournalEntry {
  proposalId: string;
  /** The proposal's version once it was `executing`: recovery's write is fenced on it. */
  version: number;
  branch: string;
  worktree: string;
  startedAt: string;
  pid: number;
  host: string;
}

export function createExecutionJournal(dir: string) {
  const fileFor = (proposalId: string) => path.join(dir, `${encodeURIComponent(proposalId)}.json`);
  return {
    async write(entry: Omit<JournalEntry, 'pid' | 'host'>): Promise<void> {
      await mkdir(dir, { recursive: true });
      const file = fileFor(entry.proposalId);
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify({ ...entry, pid: process.pid, host: hostname() } satisfies JournalEntry));
      await rename(temp, file); // never half a record
    },
    async read(proposalId: string): Promise<JournalEntry | null> {
      try {
        return JSON.parse(await readFile(fileFor(proposalId), 'utf8')) as JournalEntry;
      } catch {
        return null;
      }
    },
    async remove(proposalId: string): Promise<void> {
      await rm(fileFor(proposalId), { force: true });
    },
    async list(): Promise<JournalEntry[]> {
      const names = await readdir(dir).catch(() => [] as string[]);
      const entries: JournalEntry[] = [];
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const entry = await this.read(decodeURIComponent(name.slice(0, -'.json'.length)));
        if (entry) entries.push(entry);
      }
      return entries;
    },
  };
}

export type ExecutionJournal = ReturnType<typeof createExecutionJournal>;
