/**
 * A unified diff that inserts lines into one file before a given line, with up to three lines of
 * context either side: the shape `git apply` and the executor's patch parser read. Pure: the caller
 * passes the file's content as it is at HEAD, so the hunk's context matches it byte for byte.
 */
export function insertionDiff(file: string, content: string, beforeLine: number, inserted: readonly string[]): string {
  const endsWithNewline = content.endsWith('\n');
  const lines = content.split('\n');
  if (endsWithNewline) lines.pop();
  if (!Number.isInteger(beforeLine) || beforeLine < 1 || beforeLine > lines.length)
    throw new RangeError(`line ${beforeLine} is outside ${file} (${lines.length} lines)`);
  const at = beforeLine - 1;
  const from = Math.max(0, at - 3);
  const to = Math.min(lines.length, at + 3);
  const before = lines.slice(from, at).map((l) => ` ${l}`);
  const after = lines.slice(at, to).map((l) => ` ${l}`);
  const body = [...before, ...inserted.map((l) => `+${l}`), ...after];
  // The last context line is the file's last line and it has no newline: git says so, or the hunk would add one.
  if (to === lines.length && !endsWithNewline && to > at) body.push('\\ No newline at end of file');
  const oldCount = to - from;
  const newCount = oldCount + inserted.length;
  return [
    `diff --git a/${file} b/${file}`,
    `--- a/${file}`,
    `+++ b/${file}`,
    `@@ -${from + 1},${oldCount} +${from + 1},${newCount} @@`,
    ...body,
    '',
  ].join('\n');
}
