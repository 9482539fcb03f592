import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  API_METRICS,
  CUSTOMER_INTERACTIONS,
  ERROR_LOGS,
  TELEMETRY_TABLES,
  type TelemetryTable,
} from '../adapters/warehouse/duckdb/telemetry-tables.ts';
import { DEFAULT_SAMPLE_SIZE, SAMPLE_DAYS, SAMPLE_END, SAMPLE_SEED } from './planted.ts';
import { writeErrors } from './sample/error-rows.ts';
import { writeInteractions } from './sample/interaction-rows.ts';
import { writeMetrics } from './sample/metric-rows.ts';
import { ParquetTableWriter } from './sample/parquet-table-writer.ts';

/**
 * The bundled sample telemetry: the three tables as Parquet files, generated deterministically from
 * a seed, with the problems of planted.ts in them. The same options always give the same bytes.
 */

export interface SampleOptions {
  /** Days covered, ending at `end` (default 30). */
  days?: number;
  interactions?: number;
  metrics?: number;
  seed?: number;
  /** Exclusive end of the sample (default SAMPLE_END, 2026-01-31T00:00:00Z). */
  end?: Date;
}

/** sample.json: what a sample directory holds; written last, so its presence means the sample is complete. */
export interface SampleManifest {
  generator: typeof GENERATOR_VERSION;
  seed: number;
  days: number;
  start: string;
  end: string;
  interactions: number;
  metrics: number;
  errors: number;
  files: Record<string, string>;
}

/** Bump when the generator's output changes, so an old sample directory is regenerated. */
const GENERATOR_VERSION = 2; // 2: the seed's column names (response_time_ms, error_stack)
export const SAMPLE_MANIFEST = 'sample.json';

export function resolveSampleOptions(options: SampleOptions = {}): Required<SampleOptions> {
  const resolved = {
    days: options.days ?? SAMPLE_DAYS,
    interactions: options.interactions ?? DEFAULT_SAMPLE_SIZE.interactions,
    metrics: options.metrics ?? DEFAULT_SAMPLE_SIZE.metrics,
    seed: options.seed ?? SAMPLE_SEED,
    end: options.end ?? SAMPLE_END,
  };
  for (const [name, value] of Object.entries({
    days: resolved.days,
    interactions: resolved.interactions,
    metrics: resolved.metrics,
    seed: resolved.seed,
  })) {
    if (!Number.isInteger(value) || value < 0 || (name === 'days' && value < 1))
      throw new RangeError(`Sample option ${name} must be a whole number${name === 'days' ? ' ≥ 1' : ' ≥ 0'}, got ${value}`);
  }
  if (Number.isNaN(resolved.end.getTime())) throw new RangeError('Sample option end is not a valid date');
  return resolved;
}

/**
 * Generates the sample into `outDir` (created if missing), replacing a previous sample there.
 * Files are written into a scratch folder first and moved into place, the manifest last.
 */
export async function generateSampleTelemetry(outDir: string, options: SampleOptions = {}): Promise<SampleManifest> {
  const { days, interactions, metrics, seed, end } = resolveSampleOptions(options);
  const endMs = end.getTime();
  const startMs = endMs - days * 86_400_000;
  await mkdir(outDir, { recursive: true });
  await refuseForeignTableFiles(outDir);
  const scratch = path.join(outDir, `.generating-${process.pid}-${Date.now()}`);
  await mkdir(scratch);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const files = Object.fromEntries(TELEMETRY_TABLES.map((table) => [table.name, `${table.name}.parquet`]));
    const written = async (table: TelemetryTable, write: (writer: ParquetTableWriter) => Promise<number>) => {
      const writer = await ParquetTableWriter.open(connection, table);
      const rows = await write(writer);
      await writer.writeParquet(path.join(scratch, files[table.name]!));
      return rows;
    };
    const metricRows = await written(API_METRICS, (writer) => writeMetrics(writer, metrics, startMs, endMs, seed));
    const interactionRows = await written(CUSTOMER_INTERACTIONS, (writer) => writeInteractions(writer, interactions, startMs, endMs, seed));
    const errorRows = await written(ERROR_LOGS, (writer) => writeErrors(writer, startMs, endMs, seed));

    await rm(path.join(outDir, SAMPLE_MANIFEST), { force: true });
    for (const file of Object.values(files)) await rename(path.join(scratch, file), path.join(outDir, file));
    const manifest: SampleManifest = {
      generator: GENERATOR_VERSION,
      seed,
      days,
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      interactions: interactionRows,
      metrics: metricRows,
      errors: errorRows,
      files,
    };
    await writeFile(path.join(outDir, SAMPLE_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The sample in `outDir`, generated only when the directory has no complete sample made with these
 * options (what the server does on first start).
 */
export async function ensureSampleTelemetry(
  outDir: string,
  options: SampleOptions = {},
): Promise<{ manifest: SampleManifest; generated: boolean }> {
  const wanted = resolveSampleOptions(options);
  const existing = await readSampleManifest(outDir);
  if (
    existing &&
    existing.generator === GENERATOR_VERSION &&
    existing.seed === wanted.seed &&
    existing.days === wanted.days &&
    existing.end === wanted.end.toISOString() &&
    existing.interactions === wanted.interactions &&
    existing.metrics === wanted.metrics
  ) {
    return { manifest: existing, generated: false };
  }
  return { manifest: await generateSampleTelemetry(outDir, wanted), generated: true };
}

export async function readSampleManifest(dir: string): Promise<SampleManifest | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, SAMPLE_MANIFEST), 'utf8')) as SampleManifest;
  } catch {
    return undefined;
  }
}

/**
 * Table files that are not the sample's (a CSV someone put there) would be read together with the
 * Parquet files; a directory with a manifest is ours, so only its own files are replaced.
 */
async function refuseForeignTableFiles(dir: string): Promise<void> {
  const ours = new Set(TELEMETRY_TABLES.map((table) => `${table.name}.parquet`));
  const foreign = (await readdir(dir)).filter(
    (name) => !ours.has(name) && TELEMETRY_TABLES.some((table) => name.startsWith(`${table.name}.`) || name.startsWith(`${table.name}-`)),
  );
  if (foreign.length > 0) {
    throw new Error(
      `${dir} already holds telemetry files that are not the sample's (${foreign.join(', ')}); generate the sample into an empty directory`,
    );
  }
}
