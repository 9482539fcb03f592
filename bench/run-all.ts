/**
 * Runs every benchmark in this folder one after another, each in its own process, and prints their
 * figures. Benchmarks report numbers; they never fail a build. `npm run bench` (or pass names:
 * `npm run bench -- store-transitions-redis api-list`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .filter((f) => !wanted.length || wanted.includes(f.replace(/\.ts$/, '')))
  .sort();

for (const script of scripts) {
  console.log(`\n=== ${script}`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, script)], { stdio: 'inherit' });
  console.log(`=== ${script}: exit ${run.status ?? run.signal}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
