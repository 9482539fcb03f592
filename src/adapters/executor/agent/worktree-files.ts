import { lstat, mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkPath } from '../rails/path-rules.ts';

/**
 * The editing agent's hands: read, edit and create files inside one worktree, and nowhere else.
 * A path is refused when it is absolute, has `..`, touches `.git` or a protected path (the same
 * rules as a patch), or when any folder on its way (or the file itself) is a symlink, which could
 * lead out of the tree. Refusals are returned as text for the model, never thrown past the tool.
 */

export class ToolRefused extends Error {
  override name = 'ToolRefused';
}

const MAX_VIEW_BYTES = 200_000;
const MAX_LISTED = 500;

export function createWorktreeFiles(root: string, protectedPaths: readonly string[]) {
  /** The absolute path of `relative` inside the worktree, after every check. */
  async function resolveInside(relative: string, purpose: 'read' | 'write'): Promise<string> {
    const refusal = checkPath(relative, purpose === 'write' ? protectedPaths : []);
    if (refusal) throw new ToolRefused(refusal.reason);
    const realRoot = await realpath(root);
    let current = realRoot;
    for (const segment of relative.split('/')) {
      current = path.join(current, segment);
      const info = await lstat(current).catch(() => null);
      if (!info) break; // the rest does not exist yet (a new file or folder)
      if (info.isSymbolicLink()) throw new ToolRefused(`${relative} goes through a symlink; symlinks may lead out of the repository`);
    }
    const absolute = path.join(realRoot, relative);
    if (!absolute.startsWith(`${realRoot}${path.sep}`)) throw new ToolRefused(`${relative} is outside the repository`);
    return absolute;
  }

  return {
    async list(dir = ''): Promise<string> {
      const start = dir ? await resolveInside(dir.replace(/\/+$/, ''), 'read') : await realpath(root);
      const found: string[] = [];
      const walk = async (folder: string): Promise<void> => {
        for (const entry of await readdir(folder, { withFileTypes: true })) {
          if (found.length >= MAX_LISTED) return;
          if (entry.name === '.git' || entry.name === 'node_modules') continue;
          const full = path.join(folder, entry.name);
          if (entry.isDirectory()) await walk(full);
          else found.push(path.relative(root, full));
        }
      };
      await walk(start);
      return found.length >= MAX_LISTED ? `${found.join('\n')}\n… (first ${MAX_LISTED} files)` : found.join('\n');
    },

    async view(relative: string): Promise<string> {
      const file = await resolveInside(relative, 'read');
      const content = await readFile(file).catch(() => {
        throw new ToolRefused(`${relative} does not exist`);
      });
      if (content.includes(0)) throw new ToolRefused(`${relative} is a binary file`);
      const text = content.subarray(0, MAX_VIEW_BYTES).toString('utf8');
      return content.length > MAX_VIEW_BYTES ? `${text}\n… (truncated at ${MAX_VIEW_BYTES} bytes)` : text;
    },

    /** Replaces one exact occurrence of `oldText`: none or several is an error the model can fix. */
    async edit(relative: string, oldText: string, newText: string): Promise<string> {
      const file = await resolveInside(relative, 'write');
      const content = await readFile(file, 'utf8').catch(() => {
        throw new ToolRefused(`${relative} does not exist; use create_file`);
      });
      if (!oldText) throw new ToolRefused('old_text must not be empty');
      const first = content.indexOf(oldText);
      if (first < 0) throw new ToolRefused(`old_text was not found in ${relative}`);
      if (content.indexOf(oldText, first + 1) >= 0)
        throw new ToolRefused(`old_text occurs more than once in ${relative}; include more context`);
      await writeFile(file, content.slice(0, first) + newText + content.slice(first + oldText.length));
      return `edited ${relative}`;
    },

    async create(relative: string, content: string): Promise<string> {
      const file = await resolveInside(relative, 'write');
      if (await lstat(file).catch(() => null)) throw new ToolRefused(`${relative} already exists; use edit_file`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content, { flag: 'wx' });
      return `created ${relative}`;
    },
  };
}

export type WorktreeFiles = ReturnType<typeof createWorktreeFiles>;
