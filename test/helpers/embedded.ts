import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.ts';
import type { ProposalStore } from '../../src/ports/store.ts';

/** A fresh directory under the system temp dir for one test's database file, and its removal. */
export async function makeStoreDir(): Promise<{ dir: string; file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'embedded-store-'));
  return { dir, file: path.join(dir, 'data', 'store.sqlite'), remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A fresh embedded store for each test of the calling `describe`, closed and removed after it. The
 * returned object's `store` is the current test's.
 */
export function useEmbeddedStore(): { store: ProposalStore } {
  const current = {} as { store: ProposalStore };
  let remove: () => Promise<void> = async () => undefined;
  beforeEach(async () => {
    const dir = await makeStoreDir();
    remove = dir.remove;
    current.store = createEmbeddedStore({ file: dir.file });
  });
  afterEach(async () => {
    await current.store.close();
    await remove();
  });
  return current;
}
