import type { CommitInfo, FileChange } from '../../../ports/repository.ts';

/**
 * `git log -z --numstat` in a format that survives any file name: each commit starts with a record
 * separator (0x1e), its header fields are split by a unit separator (0x1f), and -z makes every
 * numstat entry NUL-terminated with paths unquoted. A rename reads `added TAB deleted TAB NUL old NUL new NUL`;
 * a binary file reads `- TAB - TAB path`.
 */
export const NUMSTAT_FORMAT = '--format=%x1e%H%x1f%an%x1f%ae%x1f%cI%x1f%aI%x1f%s';

export function parseNumstatLog(output: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const record of output.split('\x1e')) {
    if (!record.trim()) continue;
    const headerEnd = record.indexOf('\0');
    const header = headerEnd === -1 ? record : record.slice(0, headerEnd);
    const [sha = '', author = '', authorEmail = '', committed = '', authored = '', subject = ''] = header.split('\x1f');
    const body = headerEnd === -1 ? '' : record.slice(headerEnd + 1);
    commits.push({
      sha: sha.trim(),
      author,
      authorEmail,
      date: new Date(committed),
      authorDate: new Date(authored),
      subject: subject.replace(/\n+$/, ''),
      files: parseNumstatEntries(body),
    });
  }
  return commits;
}

function parseNumstatEntries(body: string): FileChange[] {
  const tokens = body.split('\0');
  const files: FileChange[] = [];
  for (let i = 0; i < tokens.length; i++) {
    // Between the header and the first entry, and between commits, git leaves a newline.
    const token = (tokens[i] ?? '').replace(/^\n+/, '');
    if (!token) continue;
    const firstTab = token.indexOf('\t');
    const secondTab = token.indexOf('\t', firstTab + 1);
    if (firstTab === -1 || secondTab === -1) continue;
    const addedText = token.slice(0, firstTab);
    const deletedText = token.slice(firstTab + 1, secondTab);
    const binary = addedText === '-' && deletedText === '-';
    const counts = { added: binary ? 0 : Number(addedText), deleted: binary ? 0 : Number(deletedText), binary };
    const path = token.slice(secondTab + 1);
    if (path === '') {
      const previousPath = tokens[i + 1] ?? '';
      const newPath = tokens[i + 2] ?? '';
      i += 2;
      files.push({ path: newPath, previousPath, ...counts });
    } else {
      files.push({ path, ...counts });
    }
  }
  return files;
}
