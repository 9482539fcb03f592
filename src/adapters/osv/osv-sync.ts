import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import yauzl from 'yauzl';

export interface OsvSyncResult {
  /** OSV_DIR: after a sync, a symlink to `folder`. */
  dir: string;
  /** The folder the advisories were unpacked into. */
  folder: string;
  files: number;
  bytes: number;
}

export interface OsvSyncOptions {
  url: string;
  dir: string;
  /** Aborts the download (a CLI interrupted, a test's timeout). */
  signal?: AbortSignal;
}

/**
 * Downloads a zip of OSV advisories and makes it OSV_DIR in one step a reader cannot see half
 * done: the zip is unpacked into a new folder beside OSV_DIR, then a symlink to it is renamed over
 * OSV_DIR (rename replaces a symlink atomically), then the previous folder is removed. A failed
 * download, a corrupt zip or one without any .json leaves OSV_DIR as it was.
 */
export async function syncOsv(options: OsvSyncOptions): Promise<OsvSyncResult> {
  const dir = path.resolve(options.dir);
  const parent = path.dirname(dir);
  await mkdir(parent, { recursive: true });
  const stamp = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const folder = path.join(parent, `.${path.basename(dir)}-${stamp}`);
  const zipFile = `${folder}.zip`;
  try {
    const bytes = await download(options.url, zipFile, options.signal);
    await mkdir(folder);
    const files = await unpackJson(zipFile, folder);
    if (files === 0) throw new Error(`${options.url} holds no .json advisory; OSV_DIR is left as it was`);
    const previous = await swapIn(dir, folder);
    if (previous) await rm(previous, { recursive: true, force: true });
    return { dir, folder, files, bytes };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(zipFile, { force: true });
  }
}

async function download(url: string, file: string, signal?: AbortSignal): Promise<number> {
  const response = await fetch(url, signal ? { signal } : {});
  if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
  const out = createWriteStream(file);
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), out);
  return out.bytesWritten;
}

/**
 * Writes every .json entry of the zip into `folder`, by its base name (osv.dev's zip is flat; a
 * path inside an entry's name never chooses where a file lands). yauzl refuses absolute and `..`
 * names and checks each entry's size against its header.
 */
function unpackJson(zipFile: string, folder: string): Promise<number> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipFile, { lazyEntries: true, strictFileNames: false, validateEntrySizes: true }, (openError, zip) => {
      if (openError || !zip) return reject(new Error(`not a readable zip: ${openError?.message ?? 'unknown error'}`));
      let files = 0;
      const fail = (error: Error) => {
        zip.close();
        reject(error);
      };
      zip.on('error', fail);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = path.posix.basename(entry.fileName);
        if (entry.fileName.endsWith('/') || !name.endsWith('.json') || name.startsWith('.')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError ?? new Error(`cannot read ${entry.fileName}`));
          pipeline(stream, createWriteStream(path.join(folder, name), { flags: 'wx' }))
            .then(() => {
              files += 1;
              zip.readEntry();
            })
            .catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
        });
      });
      zip.readEntry();
    });
  });
}

/** Points OSV_DIR at `folder`; returns what to remove afterwards: the folder it replaced, when it is one a sync made or a plain folder moved aside. */
async function swapIn(dir: string, folder: string): Promise<string | null> {
  const existing = await lstat(dir).catch(() => null);
  let previous: string | null = null;
  if (existing?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(dir), await readlink(dir));
    // A symlink an operator pointed elsewhere is replaced, but what it pointed at is left alone.
    previous = path.basename(target).startsWith(`.${path.basename(dir)}-`) ? target : null;
  } else if (existing) {
    // A folder made by hand: moved aside (the one moment a reader can find OSV_DIR missing), then replaced.
    previous = `${dir}.replaced-${randomBytes(3).toString('hex')}`;
    await rename(dir, previous);
  }
  const link = `${folder}.link`;
  await symlink(path.basename(folder), link, 'dir');
  await rename(link, dir);
  return previous;
}
