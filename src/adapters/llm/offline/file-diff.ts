import { structuredPatch } from 'diff';

/**
 * A git-style unified diff of one file from `before` to `after` (jsdiff's hunks, three lines of
 * context), the shape `git apply` and the executor's patch parser read. Empty when nothing changed.
 */
export function fileDiff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const { hunks } = structuredPatch(`a/${file}`, `b/${file}`, before, after, '', '', { context: 3 });
  const body = hunks.flatMap((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines]);
  return [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`, ...body, ''].join('\n');
}
