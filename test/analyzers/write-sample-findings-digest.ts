/**
 * Writes fixtures/sample-findings-digest.json: the findings of main before the warehouse push-down
 * (issue 15), which findings-before-after.test.ts holds the rewrite to.
 * Run: node --import tsx test/analyzers/write-sample-findings-digest.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDuckDbWarehouse } from '../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { generateSampleTelemetry } from '../../src/demo/sample-telemetry.ts';
import { DIGEST_FIXTURE, DIGEST_SAMPLE, sampleFindingsDigest } from './sample-findings-digest.ts';

const dir = await mkdtemp(path.join(tmpdir(), 'findings-digest-'));
try {
  await generateSampleTelemetry(path.join(dir, 'telemetry'), DIGEST_SAMPLE);
  const warehouse = await createDuckDbWarehouse({ telemetryDir: path.join(dir, 'telemetry'), writeDir: dir, threads: 2 });
  const digest = await sampleFindingsDigest(warehouse);
  await warehouse.close();
  await writeFile(DIGEST_FIXTURE, `${JSON.stringify(digest, null, 1)}\n`);
  console.log(`${digest.findings.length} findings, ${digest.knowledge.length} knowledge entries → ${DIGEST_FIXTURE.pathname}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
