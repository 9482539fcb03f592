import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { generateSampleTelemetry } from '../../src/demo/sample-telemetry.ts';
import type { TelemetryWarehouse } from '../../src/ports/warehouse.ts';
import { DIGEST_FIXTURE, DIGEST_SAMPLE, sampleFindingsDigest } from './sample-findings-digest.ts';

/**
 * Issue 15 moved text work into the warehouse (messages grouped there, counted as weights) and out
 * of repeated passes in Node. The findings must not move with it: on a generated sample, every
 * finding and knowledge entry equals the digest taken on main before the rewrite.
 */
let dir: string;
let warehouse: TelemetryWarehouse;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'findings-before-after-'));
  await generateSampleTelemetry(path.join(dir, 'telemetry'), DIGEST_SAMPLE);
  warehouse = await createDuckDbWarehouse({ telemetryDir: path.join(dir, 'telemetry'), writeDir: dir, threads: 2 });
}, 120_000);

afterAll(async () => {
  await warehouse?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('findings before and after the warehouse push-down', () => {
  it('finds on the sample exactly what main found before the rewrite: fingerprints, counts, evidence and knowledge', async () => {
    const before = JSON.parse(await readFile(DIGEST_FIXTURE, 'utf8')) as Awaited<ReturnType<typeof sampleFindingsDigest>>;
    const after = JSON.parse(JSON.stringify(await sampleFindingsDigest(warehouse))) as typeof before;
    expect(after.findings.map((f) => f.fingerprint)).toEqual(before.findings.map((f) => f.fingerprint));
    expect(after.findings).toEqual(before.findings);
    expect(after.knowledge).toEqual(before.knowledge);
  }, 180_000);
});
