import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh directory under the system temp dir for one test's database file, and its removal. */
export async function makeStoreDir(): Promise<{ dir: string; file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'embedded-store-'));
  return { dir, file: path.join(dir, 'data', 'store.sqlite'), remove: () => rm(dir, { recursive: true, force: true }) };
}
