import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { StoreUnavailable } from '../../../src/domain/errors.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { makeStoreDir } from '../../helpers/embedded.ts';

function openError(file: string): StoreUnavailable {
  try {
    createEmbeddedStore({ file });
  } catch (error) {
    expect(error).toBeInstanceOf(StoreUnavailable);
    return error as StoreUnavailable;
  }
  throw new Error(`opening ${file} succeeded`);
}

describe('opening an embedded store file that cannot be used', () => {
  let temp: Awaited<ReturnType<typeof makeStoreDir>>;
  beforeEach(async () => {
    temp = await makeStoreDir();
    await mkdir(path.dirname(temp.file), { recursive: true });
  });
  afterEach(() => temp.remove());

  it('says the file is not a database, naming it, when it holds something else', async () => {
    await writeFile(temp.file, 'proposals, but as a spreadsheet\n'.repeat(200));
    const error = openError(temp.file);
    expect(error.message).toContain(temp.file);
    expect(error.message).toMatch(/file is not a database/);
    expect(error.message).toMatch(/move it aside/);
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('says the file is not a database when a SQLite file was overwritten in the middle', async () => {
    const store = createEmbeddedStore({ file: temp.file });
    for (let i = 0; i < 50; i++) await store.create(makeDraft({ summary: 'x'.repeat(2000) }), { actor: 'c' });
    await store.close();
    const bytes = await readFile(temp.file);
    // Keep the 100-byte header so SQLite recognises the format, and wreck the schema page after it.
    bytes.fill(0xa5, 100, Math.min(bytes.length, 8192));
    await writeFile(temp.file, bytes);
    const error = openError(temp.file);
    expect(error.message).toContain(temp.file);
    expect(error.message).toMatch(/malformed|not a database|corrupt/i);
  });

  it('names the path when it is a directory rather than a file', async () => {
    await mkdir(temp.file);
    const error = openError(temp.file);
    expect(error.message).toContain(temp.file);
    expect(error.message).toMatch(/unable to open/);
  });

  it('names the path when its directory cannot be created', async () => {
    const blocker = path.join(temp.dir, 'not-a-dir');
    await writeFile(blocker, 'a file where the data directory should be');
    const file = path.join(blocker, 'store.sqlite');
    const error = openError(file);
    expect(error.message).toContain(file);
  });

  it('refuses a file written by a newer release rather than guessing at its tables', async () => {
    await createEmbeddedStore({ file: temp.file }).close();
    const db = new Database(temp.file);
    db.pragma('user_version = 99');
    db.close();
    const error = openError(temp.file);
    expect(error.message).toContain(temp.file);
    expect(error.message).toMatch(/schema version is 99/);
  });
});
