// Where the CLI's code comes from: compiled JavaScript in dist/ when `npm run build` (run by `npm ci`)
// left it there and it is at least as new as every file in src/, else the TypeScript sources run
// through tsx (a production install without TypeScript, or a checkout edited since its last build;
// a few hundred milliseconds slower to start, same behaviour). Paths are relative to this file, so
// the answer does not depend on the caller's working directory.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The newest modification time under a folder; a few milliseconds for src/'s few hundred files. */
function newestChange(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const changed = statSync(path.join(entry.parentPath, entry.name)).mtimeMs;
    if (changed > newest) newest = changed;
  }
  return newest;
}

/** True when dist/ was built completely (its stamp is written last) after the last change in src/. */
export function distIsCurrent() {
  const stamp = path.join(root, 'dist', '.build-stamp');
  if (!existsSync(stamp)) return false;
  const src = path.join(root, 'src');
  return !existsSync(src) || newestChange(src) <= statSync(stamp).mtimeMs;
}

/** `runCli` from dist/ or, failing that, from src/ through tsx. */
export async function loadCli() {
  if (distIsCurrent()) return (await import('../dist/cli/main.js')).runCli;
  const { register } = await import('tsx/esm/api');
  // Naming the tsconfig keeps TypeScript settings the same whatever the caller's working directory.
  register({ tsconfig: path.join(root, 'tsconfig.json') });
  return (await import('../src/cli/main.ts')).runCli;
}
