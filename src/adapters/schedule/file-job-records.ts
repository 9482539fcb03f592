import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JobRecords } from '../../schedule/job-records.ts';
import type { JobRecord } from '../../schedule/job-runner.ts';

/**
 * Job records for the embedded store's processes, in `dir`:
 *   <job>.jsonl          one record a line, appended (a short append is atomic on a local disk)
 *   <job>.last-success   epoch ms of the newest success, replaced by rename, only ever moved forward
 * The record file is cut back to the newest `keep` lines once it holds four times as many.
 */
export function createFileJobRecords(dir: string, options: { keep?: number } = {}): JobRecords {
  const keep = options.keep ?? 50;
  const files = (job: string) => {
    const base = path.join(dir, encodeURIComponent(job));
    return { records: `${base}.jsonl`, lastSuccess: `${base}.last-success` };
  };

  async function readLines(file: string): Promise<string[]> {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return text.split('\n').filter((line) => line.trim());
  }

  async function replace(file: string, content: string): Promise<void> {
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, content);
    await rename(temporary, file);
  }

  async function readLastSuccess(job: string): Promise<Date | null> {
    const [line] = await readLines(files(job).lastSuccess);
    const ms = Number(line);
    return line && Number.isFinite(ms) ? new Date(ms) : null;
  }

  return {
    async add(record: JobRecord) {
      await mkdir(dir, { recursive: true });
      const { records, lastSuccess } = files(record.job);
      await appendFile(records, `${JSON.stringify(record)}\n`);
      const lines = await readLines(records);
      if (lines.length > keep * 4) await replace(records, `${lines.slice(-keep).join('\n')}\n`);
      if (record.outcome === 'ran') {
        const finished = Date.parse(record.finishedAt);
        const seen = await readLastSuccess(record.job);
        if (!seen || finished > seen.getTime()) await replace(lastSuccess, String(finished));
      }
    },
    async recent(job, limit = keep) {
      if (limit <= 0) return [];
      const lines = await readLines(files(job).records);
      // A torn last line (a process killed mid-append) is skipped, not fatal.
      return lines
        .slice(-limit)
        .reverse()
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as JobRecord];
          } catch {
            return [];
          }
        });
    },
    lastSuccess: readLastSuccess,
  };
}
