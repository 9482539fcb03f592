/**
 * A unified diff from known line edits of one file, with up to three lines of context around each
 * and nearby edits merged into one hunk: the shape `git apply` and the executor's patch parser read.
 * Pure, from the file's content at HEAD, so the context matches it byte for byte. Files without a
 * final newline are refused (null): git would need a marker this writer does not draft.
 */

export interface LineEdit {
  /** 1-based first line replaced; for an insertion (count 0), the line the new lines go before (lines + 1: at the end). */
  from: number;
  /** Old lines replaced (0: insert). */
  count: number;
  lines: readonly string[];
}

const CONTEXT = 3;

export function lineEditsDiff(file: string, content: string, edits: readonly LineEdit[]): string | null {
  if (!content.endsWith('\n')) return null;
  const old = content.slice(0, -1).split('\n');
  const sorted = [...edits].sort((a, b) => a.from - b.from);
  for (const [i, edit] of sorted.entries()) {
    if (edit.from < 1 || edit.from + edit.count - 1 > old.length || (edit.count === 0 && edit.from > old.length + 1)) return null;
    const next = sorted[i + 1];
    if (next && next.from < edit.from + edit.count) return null;
  }
  // Group edits whose context windows touch into one hunk.
  const groups: LineEdit[][] = [];
  for (const edit of sorted) {
    const last = groups.at(-1)?.at(-1);
    if (last && edit.from - (last.from + last.count) <= 2 * CONTEXT) groups.at(-1)!.push(edit);
    else groups.push([edit]);
  }
  const hunks: string[] = [];
  let shift = 0;
  for (const group of groups) {
    const first = group[0]!;
    const lastEdit = group.at(-1)!;
    const start = Math.max(1, first.from - CONTEXT);
    const end = Math.min(old.length, lastEdit.from + lastEdit.count - 1 + CONTEXT);
    const body: string[] = [];
    let line = start;
    let added = 0;
    let removed = 0;
    for (const edit of group) {
      for (; line < edit.from; line += 1) body.push(` ${old[line - 1]}`);
      for (let k = 0; k < edit.count; k += 1, line += 1) body.push(`-${old[line - 1]}`);
      for (const l of edit.lines) body.push(`+${l}`);
      added += edit.lines.length;
      removed += edit.count;
    }
    for (; line <= end; line += 1) body.push(` ${old[line - 1]}`);
    const oldCount = end - start + 1;
    const newCount = oldCount - removed + added;
    hunks.push(`@@ -${start},${oldCount} +${start + shift},${newCount} @@`, ...body);
    shift += added - removed;
  }
  return [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`, ...hunks, ''].join('\n');
}

/** A diff that creates `file` with `content` (which ends with a newline). */
export function newFileDiff(file: string, content: string): string {
  const lines = content.replace(/\n$/, '').split('\n');
  return [
    `diff --git a/${file} b/${file}`,
    'new file mode 100644',
    '--- /dev/null',
    `+++ b/${file}`,
    `@@ -0,0 +1,${lines.length} @@`,
    ...lines.map((l) => `+${l}`),
    '',
  ].join('\n');
}
