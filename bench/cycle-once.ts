/**
 * One full cycle over a telemetry directory in a process of its own, so its peak RSS is the cycle's:
 * the five analyzers filing into a fresh embedded store. Prints one JSON line:
 * { ms, cpuMs, prepareMs, peakRssBytes, analyzers: [{ name, ms, findings }] }; prepareMs is opening the
 * warehouse (for CSV and NDJSON: converting them to Parquet, once per change of the files). Spawned by full-cycle.ts and cycle-scaling.ts.
 * Run: node --import tsx bench/cycle-once.ts [telemetry dir, default the 1× sample] [--as-of 2026-01-31T00:00:00Z]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logging.ts';
import { defaultSample } from './cycle-floor.ts';

const given = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : undefined;
const dir = given ? path.resolve(given) : (await defaultSample()).dir;
const at = process.argv.indexOf('--as-of');
const asOf = new Date(at > 0 ? process.argv[at + 1]! : '2026-01-31T00:00:00Z');
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'il-bench-cycle-'));
try {
  const app = await buildApp(loadConfig({ DATA_DIR: dataDir, TELEMETRY_DIR: dir, LOG_LEVEL: 'silent' }), silentLogger());
  const opening = performance.now();
  await app.prepare();
  const prepareMs = Math.round(performance.now() - opening);
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  const { report } = await app.runCycle({ type: 'full', asOf });
  const ms = Math.round(performance.now() - start);
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time of the whole process (Node and DuckDB's threads) during the cycle: what the load moves least.
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  await app.close();
  const analyzers = report.analyzers.map((a) => ({ name: a.name, ms: a.durationMs, findings: a.findings }));
  console.log(JSON.stringify({ ms, cpuMs, prepareMs, peakRssBytes: process.resourceUsage().maxRSS * 1024, analyzers }));
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
