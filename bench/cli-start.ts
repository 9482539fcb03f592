/**
 * How long the CLI takes to start and answer: `improvement-loop --help` and `proposals list` (50
 * proposals in a fresh embedded store), against `node -e 0` measured in the same run, the three
 * interleaved so machine load falls on each alike. When dist/ is current (`npm run build`) the binary
 * runs compiled JavaScript; the last rows run the same commands from src/ through tsx, as the binary
 * does without a build, for comparison. Wall time and, through GNU time when /usr/bin/time exists,
 * each child's CPU time (user + system), which a loaded machine moves far less.
 * Run: node --import tsx bench/cli-start.ts   (BENCH_RUNS=30 for more samples)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createEmbeddedStore } from '../src/adapters/store/embedded/embedded-store.ts';
import { distIsCurrent } from '../bin/load-cli.js';
import { makeDraft } from '../test/helpers/drafts.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'improvement-loop.js');

/** The binary's fallback, spelled out: tsx registered, then runCli from src/. */
function fromSources(args: string[]): string[] {
  const main = pathToFileURL(path.join(root, 'src', 'cli', 'main.ts')).href;
  const script = [
    `const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});`,
    `register({ tsconfig: ${JSON.stringify(path.join(root, 'tsconfig.json'))} });`,
    `const { runCli } = await import(${JSON.stringify(main)});`,
    `process.exitCode = await runCli(['node', 'improvement-loop', ...${JSON.stringify(args)}]);`,
  ].join('\n');
  return ['--input-type=module', '-e', script];
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-cli-start-'));
const store = createEmbeddedStore({ file: path.join(dataDir, 'store.sqlite') });
for (let i = 0; i < 50; i++) await store.create(makeDraft(), { actor: 'bench' });
await store.close();

const cases: { name: string; argv: string[] }[] = [
  { name: 'baseline: node -e 0', argv: ['-e', '0'] },
  { name: 'improvement-loop --help', argv: [bin, '--help'] },
  { name: 'improvement-loop proposals list', argv: [bin, 'proposals', 'list'] },
  { name: 'from src/ through tsx: --help', argv: fromSources(['--help']) },
  { name: 'from src/ through tsx: proposals list', argv: fromSources(['proposals', 'list']) },
];
// GNU time reports each child's CPU time (user + system), which machine load moves far less than wall time.
const GNU_TIME = '/usr/bin/time';
const cpuFile = path.join(dataDir, 'cpu.txt');
const withCpu = existsSync(GNU_TIME);
const env = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), DATA_DIR: dataDir, NO_COLOR: '1' };
const times = new Map(cases.map((c) => [c.name, [] as number[]]));
const cpu = new Map(cases.map((c) => [c.name, [] as number[]]));
try {
  for (let run = 0; run < RUNS + 1; run++) {
    for (const c of cases) {
      const [file, argv] = withCpu ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...c.argv]] : [process.execPath, c.argv];
      const t0 = performance.now();
      const child = spawnSync(file, argv, { cwd: os.tmpdir(), env, encoding: 'utf8' });
      const ms = performance.now() - t0;
      if (child.status !== 0) throw new Error(`${c.name} exited ${child.status}: ${child.stderr}`);
      if (run === 0) continue; // the first round warms the disk cache
      times.get(c.name)!.push(ms);
      if (withCpu) {
        const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number);
        cpu.get(c.name)!.push(((user ?? 0) + (system ?? 0)) * 1000);
      }
    }
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const floor = median(times.get('baseline: node -e 0')!);
const cpuFloor = withCpu ? median(cpu.get('baseline: node -e 0')!) : NaN;
console.log(`node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}; ${RUNS} runs each, interleaved`);
console.log(
  `dist/ ${distIsCurrent() ? 'is current: the binary runs compiled JavaScript' : 'is missing or stale: the binary runs src/ through tsx'}`,
);
console.table(
  cases.map((c) => {
    const m = median(times.get(c.name)!);
    const wall = {
      case: c.name,
      'median ms': m.toFixed(0),
      'min ms': Math.min(...times.get(c.name)!).toFixed(0),
      '× node -e 0': (m / floor).toFixed(2),
    };
    if (!withCpu) return wall;
    const cpuMedian = median(cpu.get(c.name)!);
    return { ...wall, 'CPU ms (median)': cpuMedian.toFixed(0), '× node -e 0 (CPU)': (cpuMedian / cpuFloor).toFixed(2) };
  }),
);
console.log('goals: --help within 2× of node -e 0, proposals list within 3×');
