import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { TelemetryTable } from './telemetry-tables.ts';

/**
 * Which files hold a table: `<table>.<ext>`, parts named `<table>.<part>.<ext>` or
 * `<table>-<part>.<ext>`, and any file of that format in a `<table>/` folder. One format per table,
 * told by the extension; CSV and JSON may be gzip- or zstd-compressed.
 */

export type TelemetryFormat = 'parquet' | 'csv' | 'json';

export interface TableSource {
  table: TelemetryTable;
  format: TelemetryFormat;
  /** The files found now, for messages and counts. */
  files: string[];
  /**
   * What DuckDB reads: glob patterns where the directory's path allows them (so files added later
   * are read too), else the files themselves.
   */
  patterns: string[];
}

const EXTENSIONS: Record<string, TelemetryFormat> = { parquet: 'parquet', csv: 'csv', ndjson: 'json', jsonl: 'json', json: 'json' };
const COMPRESSED = /\.(?:gz|zst)$/;
const GLOB_CHARACTERS = /[*?[\]{}]/;

export class TelemetryFilesMissing extends Error {
  override name = 'TelemetryFilesMissing';
  constructor(
    readonly dir: string,
    readonly tables: readonly TelemetryTable[],
  ) {
    const expected = tables.map((table) => `${table.qualifiedName}: ${expectedNames(table)}`).join('; ');
    super(`No telemetry files for ${tables.map((table) => table.name).join(', ')} in ${dir}. Expected ${expected}`);
  }
}

export class TelemetryFilesConflict extends Error {
  override name = 'TelemetryFilesConflict';
}

export function expectedNames(table: TelemetryTable): string {
  const names = ['parquet', 'ndjson', 'jsonl', 'json', 'csv'].map((ext) => `${table.name}.${ext}`);
  return `${names.join(', ')} (or several parts such as ${table.name}.2026-01.parquet, or a ${table.name}/ folder)`;
}

/**
 * The files of each table in `dir`, and the tables without any (a user may have API metrics and
 * error logs but no customer interactions); throws TelemetryFilesMissing when no table has files.
 */
export async function findTableSources(
  dir: string,
  tables: readonly TelemetryTable[],
): Promise<{ sources: TableSource[]; missing: TelemetryTable[] }> {
  let entries: { name: string; isFile: boolean; isDirectory: boolean }[];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).map((entry) => ({
      name: entry.name,
      isFile: entry.isFile(),
      isDirectory: entry.isDirectory(),
    }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new TelemetryFilesMissing(dir, tables);
    throw error;
  }
  const sources: TableSource[] = [];
  const missing: TelemetryTable[] = [];
  for (const table of tables) {
    const found: { file: string; format: TelemetryFormat; pattern: string }[] = [];
    for (const entry of entries) {
      if (entry.isFile) {
        const match = matchTableFile(table.name, entry.name);
        if (match) found.push({ file: path.join(dir, entry.name), format: match.format, pattern: path.join(dir, match.pattern) });
      } else if (entry.isDirectory && entry.name === table.name) {
        for (const name of (await readdir(path.join(dir, entry.name))).sort()) {
          const format = formatOf(name);
          if (format)
            found.push({ file: path.join(dir, entry.name, name), format, pattern: path.join(dir, entry.name, `*.${extensionOf(name)}`) });
        }
      }
    }
    if (found.length === 0) {
      missing.push(table);
      continue;
    }
    const formats = [...new Set(found.map((item) => item.format))];
    if (formats.length > 1) {
      throw new TelemetryFilesConflict(
        `${table.qualifiedName} has files in more than one format in ${dir} (${found.map((item) => path.basename(item.file)).join(', ')}); keep one format per table`,
      );
    }
    const files = found.map((item) => item.file).sort();
    const patterns = GLOB_CHARACTERS.test(dir) ? files : [...new Set(found.map((item) => item.pattern))].sort();
    sources.push({ table, format: formats[0]!, files, patterns });
  }
  if (sources.length === 0) throw new TelemetryFilesMissing(dir, missing);
  return { sources, missing };
}

/** `api_metrics.parquet` → itself; `api_metrics.2026-01.parquet` → `api_metrics.*.parquet`; others → undefined. */
function matchTableFile(table: string, name: string): { format: TelemetryFormat; pattern: string } | undefined {
  const format = formatOf(name);
  if (!format || GLOB_CHARACTERS.test(name)) return undefined;
  if (!name.startsWith(table)) return undefined;
  const rest = name.slice(table.length);
  const extension = extensionOf(name);
  if (rest === `.${extension}`) return { format, pattern: name };
  const separator = rest[0];
  if ((separator === '.' || separator === '-') && rest.length > extension.length + 2)
    return { format, pattern: `${table}${separator}*.${extension}` };
  return undefined;
}

/** The full extension, compression included: "parquet", "csv.gz", "ndjson". */
function extensionOf(name: string): string {
  const compressed = COMPRESSED.exec(name)?.[0] ?? '';
  const base = name.slice(0, name.length - compressed.length);
  return `${base.slice(base.lastIndexOf('.') + 1)}${compressed}`;
}

function formatOf(name: string): TelemetryFormat | undefined {
  const extension = extensionOf(name);
  const plain = extension.replace(COMPRESSED, '');
  const format = EXTENSIONS[plain];
  // Parquet compresses inside the file; a .parquet.gz is not something DuckDB reads.
  if (format === 'parquet' && plain !== extension) return undefined;
  return format;
}
