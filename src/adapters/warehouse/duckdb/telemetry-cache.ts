import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from './sql-statements.ts';
import type { TableSource } from './telemetry-files.ts';

/**
 * CSV and NDJSON telemetry, converted once into Parquet: a text file is parsed in full by every
 * query that reads it (the performance analyzer alone reads api_metrics several times a cycle),
 * Parquet is read by column and row group. The converted file is named by a hash of the source
 * files' paths, sizes and modification times, so a changed, added or removed file means a new
 * conversion, and an unchanged one is reused across cycles and restarts.
 */

export const CACHE_FOLDER = 'telemetry-cache';
// Bump when the conversion's output changes (columns, types), so old conversions are not reused.
const CACHE_VERSION = 1;

/** The Parquet file a source converts to, under `cacheDir`: `<table>-<hash of its files>.parquet`. */
export async function cacheFileFor(cacheDir: string, source: TableSource): Promise<string> {
  const hash = createHash('sha1').update(`v${CACHE_VERSION}\n${source.table.qualifiedName}\n`);
  for (const file of [...source.files].sort()) {
    const info = await stat(file);
    hash.update(`${file}\0${info.size}\0${info.mtimeMs}\n`);
  }
  return path.join(cacheDir, `${source.table.name}-${hash.digest('hex').slice(0, 16)}.parquet`);
}

/** Writes `select`'s rows to `file` unless it is there already; written aside and moved, so a crash leaves no half file. */
export async function materialize(connection: DuckDBConnection, select: string, file: string): Promise<void> {
  if (await exists(file)) return;
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  try {
    await connection.run(`COPY (${select}) TO ${sqlString(partial)} (FORMAT parquet, ROW_GROUP_SIZE 122880)`);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}

/**
 * Removes the conversions of `table` other than `keep`. Only at open: a query of another process
 * (or of this one, still running) may be reading an older conversion.
 */
export async function removeStaleConversions(cacheDir: string, table: string, keep: string): Promise<void> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  const stale = names.filter((name) => name.startsWith(`${table}-`) && path.join(cacheDir, name) !== keep && name.endsWith('.parquet'));
  await Promise.all(stale.map((name) => rm(path.join(cacheDir, name), { force: true })));
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
