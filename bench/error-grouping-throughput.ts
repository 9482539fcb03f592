/**
 * Error grouping throughput on 100 000 synthetic log lines drawn from 20 templates with random
 * ids, numbers, emails, IPs, paths and timestamps. Prints lines/s for a whitespace split (the
 * baseline: the least any tokenizer must do), masking alone, and masking + template mining: the
 * median of five timed passes, by wall clock and by CPU time (see measure). Last, the full
 * pipeline on the real Loghub fixture lines repeated to the same count.
 * Run: node --import tsx bench/error-grouping-throughput.ts [lines]
 */
import { maskMessage } from '../src/analyzers/errors/mask.ts';
import { ErrorTemplateMiner } from '../src/analyzers/errors/template-miner.ts';
import { seededRandom } from '../src/analyzers/performance/seeded-random.ts';
import { DATASET_NAMES, loadDataset } from '../test/fixtures/logs/loghub.ts';

const LINES = Number(process.argv[2] ?? 100_000);
const random = seededRandom(2026);
const int = (max: number) => Math.floor(random() * max);
const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
const ip = () => `10.${int(256)}.${int(256)}.${int(256)}`;
const email = () => `user${int(100000)}@example.com`;
const path = () => `/srv/app/data/${hex(8)}/file-${int(1000)}.json`;
const ts = () => new Date(1_767_225_600_000 + int(30 * 86_400_000)).toISOString();

const templates: (() => string)[] = [
  () => `User ${email()} not found in tenant ${uuid()}`,
  () => `Timeout after ${int(30000)}ms waiting for a connection to ${ip()}:5432`,
  () => `ENOENT: no such file or directory, open '${path()}'`,
  () => `Payment ${hex(16)} declined for order ${int(999999)}: card_declined amount=${int(9999)}.${int(99)}`,
  () => `Job failed after ${int(9)} retries on queue ${['emails', 'invoices', 'reports'][int(3)]} at ${ts()}`,
  () => `Cannot read properties of undefined (reading '${['id', 'total', 'name', 'items'][int(4)]}')`,
  () => `Request to https://api.partner.com/v2/orders/${int(99999)} failed with status ${[500, 502, 503][int(3)]}`,
  () => `Rate limit exceeded for key ${hex(24)}: ${int(1000)} requests in ${int(60)}s`,
  () => `Deadlock detected on table orders while updating row ${int(1e6)}`,
  () => `Webhook signature mismatch for event evt_${hex(12)} from ${ip()}`,
  () => `Session ${uuid()} expired at ${ts()}`,
  () => `Upload of ${int(500)}MB exceeds the 100MB limit for user ${email()}`,
  () => `Cache miss storm: ${int(10000)} misses in ${int(1000)}ms on shard ${int(16)}`,
  () => `Invalid JSON at position ${int(5000)} in body of POST /api/v1/items/${int(1e5)}`,
  () => `SMTP 550 mailbox unavailable for ${email()}`,
  () => `Worker w${int(64)} lost its lease after ${int(120)} seconds`,
  () => `Query took ${int(20000)}ms: SELECT * FROM events WHERE account_id = ${int(1e6)}`,
  () => `Token for client ${hex(32)} is not valid before ${ts()}`,
  () => `Failed to resolve host db-${int(9)}.internal after ${int(5)} attempts`,
  () => `Out of memory: heap ${int(4096)}MB of ${4096}MB used in process ${int(65535)}`,
];
const lines = Array.from({ length: LINES }, () => templates[int(templates.length)]!());

const ROUNDS = 5;

/**
 * Lines per second of the median of ROUNDS timed passes, after one warm-up pass so the JIT has
 * compiled the hot path. Two clocks: wall time, and the CPU time this process used. On a shared
 * machine other processes stretch the wall time, not the CPU time, so the CPU figure is the closer
 * one to what one core does; both are printed.
 */
function measure(label: string, run: () => void, count = LINES): number {
  run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    run();
    const usedCpu = process.cpuUsage(startCpu);
    wall.push(Number(process.hrtime.bigint() - start) / 1e9);
    cpu.push((usedCpu.user + usedCpu.system) / 1e6);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  const rate = (seconds: number) =>
    Math.round(count / seconds)
      .toLocaleString('en-US')
      .padStart(11);
  const perCpuSecond = count / median(cpu);
  console.log(`${label.padEnd(34)} ${rate(median(wall))} lines/s wall  ${rate(median(cpu))} lines/CPU-s`);
  return perCpuSecond;
}

console.log(`${LINES.toLocaleString('en-US')} lines from ${templates.length} templates, Node ${process.version}`);
const baseline = measure('baseline: split on whitespace', () => {
  for (const line of lines) line.split(/\s+/);
});
const masking = measure('mask only', () => {
  for (const line of lines) maskMessage(line);
});
let groups = 0;
const mining = measure('mask + Drain miner (full pipeline)', () => {
  const miner = new ErrorTemplateMiner();
  for (const line of lines) miner.add(line);
  groups = miner.groups().length;
});
console.log(`groups found: ${groups} (planted: ${templates.length})`);
console.log(
  `masking costs ${(baseline / masking).toFixed(1)}x the baseline; mining adds ${((masking / mining - 1) * 100).toFixed(0)}% on top of masking`,
);

// The same pipeline on real lines: the labeled Loghub fixture (all sixteen systems), repeated up to
// the same count, so that the figure does not rest on the synthetic templates alone.
const real = DATASET_NAMES.flatMap((name) => loadDataset(name).messages.map((m) => m.content));
const realLines = Array.from({ length: LINES }, (_, i) => real[i % real.length]!);
measure(
  `full pipeline, ${real.length} Loghub lines`,
  () => {
    const miner = new ErrorTemplateMiner();
    for (const line of realLines) miner.add(line);
  },
  realLines.length,
);
