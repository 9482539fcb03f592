import type { BlameLine } from '../../../ports/repository.ts';

/**
 * Parses `git blame --line-porcelain`: for every line, a `<sha> <orig> <final> [count]` line, the
 * commit's headers (author, committer-time, filename...) repeated in full, then the content after a TAB.
 * The repeated headers cost a few bytes per line and spare us tracking which commit was described where.
 */
export function parseLinePorcelainBlame(output: string): BlameLine[] {
  const lines: BlameLine[] = [];
  let current: { sha: string; line: number; author: string; date: Date; path: string } | undefined;
  for (const row of output.split('\n')) {
    if (row.startsWith('\t')) {
      if (current) lines.push({ ...current, content: row.slice(1) });
      current = undefined;
      continue;
    }
    const start = /^([0-9a-f]{40,64}) \d+ (\d+)(?: \d+)?$/.exec(row);
    if (start) {
      current = { sha: start[1] ?? '', line: Number(start[2]), author: '', date: new Date(0), path: '' };
      continue;
    }
    if (!current) continue;
    const space = row.indexOf(' ');
    const key = space === -1 ? row : row.slice(0, space);
    const value = space === -1 ? '' : row.slice(space + 1);
    if (key === 'author') current.author = value;
    else if (key === 'committer-time') current.date = new Date(Number(value) * 1000);
    else if (key === 'filename') current.path = value;
  }
  return lines;
}
