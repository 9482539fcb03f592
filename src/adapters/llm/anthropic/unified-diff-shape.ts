/**
 * Whether a model's patch is shaped like a unified diff `git apply` could read: file headers, then
 * hunks whose line counts match their bodies. Models often miscount hunk lines; saying which hunk is
 * off lets the one retry fix it. Problems name line numbers, never quote the patch: the text goes back
 * to the model outside any data block. Which paths are acceptable at all is the executor's policy.
 */
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const FILE_META =
  /^(?:diff --git |index |new file mode |deleted file mode |old mode |new mode |similarity index |dissimilarity index |rename from |rename to |copy from |copy to )/;

/**
 * null when the text looks like a unified diff touching only `allowedFiles` (when given); otherwise
 * what is wrong, in one sentence.
 */
export function unifiedDiffProblem(text: string, allowedFiles?: readonly string[]): string | null {
  if (/^GIT binary patch$/m.test(text)) return 'binary patches are not accepted';
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  let files = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (FILE_META.test(line) || line.trim() === '') {
      i += 1;
      continue;
    }
    if (!line.startsWith('--- ')) return `line ${i + 1} is outside any file or hunk: expected "--- a/<path>"`;
    if (!lines[i + 1]?.startsWith('+++ ')) return `line ${i + 2} must be "+++ b/<path>", following the "--- a/<path>" line`;
    if (allowedFiles) {
      for (const touched of [pathOf(line), pathOf(lines[i + 1]!)]) {
        if (touched !== null && !allowedFiles.includes(touched)) {
          // The allowed paths are not repeated: they came from the data, and this text goes back to the model outside the data blocks.
          return `file ${files + 1} is not one of the files listed in the finding's subject; a patch may only change those`;
        }
      }
    }
    i += 2;
    files += 1;
    let hunks = 0;
    while (i < lines.length && lines[i]!.startsWith('@@')) {
      const problem = readHunk(lines, i, files, hunks + 1);
      if (typeof problem === 'string') return problem;
      i = problem;
      hunks += 1;
    }
    if (hunks === 0) return `file ${files} has no hunk ("@@ -start,count +start,count @@")`;
  }
  return files === 0 ? 'no file header ("--- a/<path>" then "+++ b/<path>") was found' : null;
}

/** Reads one hunk from its header; returns the index after it, or what is wrong. */
function readHunk(lines: string[], start: number, file: number, hunk: number): number | string {
  const header = HUNK_HEADER.exec(lines[start]!);
  if (!header) return `file ${file} hunk ${hunk} (line ${start + 1}): the header is not "@@ -start,count +start,count @@"`;
  let oldLeft = header[2] === undefined ? 1 : Number(header[2]);
  let newLeft = header[4] === undefined ? 1 : Number(header[4]);
  const oldCount = oldLeft;
  const newCount = newLeft;
  let i = start + 1;
  while (oldLeft > 0 || newLeft > 0) {
    const line = lines[i];
    if (line === undefined || line.startsWith('@@') || (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ '))) {
      return `file ${file} hunk ${hunk}: header promises ${oldCount} old and ${newCount} new lines, the body has ${oldCount - oldLeft} and ${newCount - newLeft}`;
    }
    const mark = line[0];
    if (mark === ' ' || line === '') {
      oldLeft -= 1;
      newLeft -= 1;
    } else if (mark === '-') oldLeft -= 1;
    else if (mark === '+') newLeft -= 1;
    else if (mark !== '\\') return `file ${file} hunk ${hunk}: line ${i + 1} starts with neither " ", "+", "-" nor "\\"`;
    if (oldLeft < 0 || newLeft < 0) {
      return `file ${file} hunk ${hunk}: the body has more lines than the header's ${oldCount} old / ${newCount} new`;
    }
    i += 1;
  }
  // A "\ No newline at end of file" marker may follow the last line.
  while (lines[i]?.startsWith('\\')) i += 1;
  return i;
}

/** The repository path in a "--- a/x" or "+++ b/x" line; null for /dev/null (a created or deleted file). */
function pathOf(header: string): string | null {
  const raw = header.slice(4).split('\t')[0]!.trim();
  if (raw === '/dev/null') return null;
  return raw.replace(/^[ab]\//, '');
}
