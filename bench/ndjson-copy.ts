import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const TABLES = ['api_metrics', 'error_logs', 'customer_interactions'];

/** An NDJSON copy of a Parquet sample directory (`<dir>-ndjson`), written once and reused. */
export async function ndjsonCopy(dir: string): Promise<string> {
  const out = `${dir}-ndjson`;
  if (existsSync(path.join(out, 'done'))) return out;
  const scratch = `${out}.partial`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  for (const table of TABLES) {
    const from = path.join(dir, `${table}.parquet`).replaceAll("'", "''");
    const to = path.join(scratch, `${table}.ndjson`).replaceAll("'", "''");
    await connection.run(`COPY (SELECT * FROM read_parquet('${from}')) TO '${to}' (FORMAT json)`);
  }
  await connection.run(`COPY (SELECT 1 AS done) TO '${path.join(scratch, 'done').replaceAll("'", "''")}' (FORMAT csv)`);
  connection.closeSync();
  instance.closeSync();
  await rm(out, { recursive: true, force: true });
  await rename(scratch, out);
  return out;
}
