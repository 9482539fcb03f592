/**
 * Error grouping accuracy on real log lines: the labeled Loghub samples in test/fixtures/logs/loghub
 * (see the README there for sources and licences). Grouping accuracy as defined by Zhu et al.,
 * "Tools and Benchmarks for Automated Log Parsing" (ICSE-SEIP 2019) and used for Drain: a message
 * counts as correct only when the group it was put in holds exactly the messages of its true event.
 * Drain as published (bench/drain-baseline.ts) and two naive baselines are measured in the same run: grouping by the masked message (our masking, no
 * mining) and by the first three tokens of the raw message.
 * Run: node --import tsx bench/error-grouping-accuracy.ts [--threshold 0.5]
 */
import { maskMessage } from '../src/analyzers/errors/mask.ts';
import { LineGrouping } from '../src/analyzers/errors/final-groups.ts';
import { groupingAccuracy } from '../test/fixtures/logs/grouping-accuracy.ts';
import { DATASET_NAMES, loadDataset } from '../test/fixtures/logs/loghub.ts';
import { DRAIN_REGEXES, drainGroups } from './drain-baseline.ts';

const thresholdFlag = process.argv.indexOf('--threshold');
const threshold = thresholdFlag >= 0 ? Number(process.argv[thresholdFlag + 1]) : 0.5;
if (!(threshold >= 0 && threshold <= 1)) throw new Error('--threshold takes a number from 0 to 1');

type Grouper = (messages: readonly string[], system: string) => string[];

const groupers: Record<string, Grouper> = {
  miner: (messages) => {
    const grouping = new LineGrouping({ similarityThreshold: threshold });
    for (const message of messages) grouping.add(message);
    return grouping.finish().groupOfEach.map((group) => group.id);
  },
  // Drain with the benchmark's per-system regexes (the baseline only; the miner has one setting).
  'Drain d4 st0.5': (messages, system) =>
    drainGroups(messages, { depth: 4, similarity: 0.5, regexes: DRAIN_REGEXES[system] ?? [] }).map(String),
  'masked message': (messages) => messages.map((message) => maskMessage(message).trim().replace(/\s+/g, ' ')),
  'first 3 tokens': (messages) => messages.map((message) => message.trim().split(/\s+/).slice(0, 3).join(' ')),
};

const names = Object.keys(groupers);
const header = ['dataset', 'lines', 'events', 'groups', ...names.map((n) => `GA ${n}`)];
const rows: string[][] = [];
const totals = { lines: 0, correct: Object.fromEntries(names.map((n) => [n, 0])) as Record<string, number> };
const means = Object.fromEntries(names.map((n) => [n, 0])) as Record<string, number>;

for (const name of DATASET_NAMES) {
  const { messages } = loadDataset(name);
  const contents = messages.map((m) => m.content);
  const truth = messages.map((m) => m.event);
  const accuracy: Record<string, number> = {};
  let minerGroups = 0;
  for (const grouper of names) {
    const predicted = groupers[grouper]!(contents, name);
    if (grouper === 'miner') minerGroups = new Set(predicted).size;
    accuracy[grouper] = groupingAccuracy(predicted, truth);
    totals.correct[grouper]! += accuracy[grouper]! * truth.length;
    means[grouper]! += accuracy[grouper]! / DATASET_NAMES.length;
  }
  totals.lines += truth.length;
  rows.push([name, String(truth.length), String(new Set(truth).size), String(minerGroups), ...names.map((n) => accuracy[n]!.toFixed(3))]);
}
rows.push(['all (by message)', String(totals.lines), '', '', ...names.map((n) => (totals.correct[n]! / totals.lines).toFixed(3))]);
rows.push(['mean of datasets', '', '', '', ...names.map((n) => means[n]!.toFixed(3))]);

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(
  `Grouping accuracy on ${totals.lines} labeled Loghub lines from ${DATASET_NAMES.length} systems (miner threshold ${threshold}), Node ${process.version}`,
);
console.log(
  'Figures are on the fixture subset (the first lines of each system, see test/fixtures/logs/README.md), not the full 2k sets; Drain runs on the same lines with its per-system regexes, the miner with one global setting.',
);
console.log(line(header));
for (const row of rows) console.log(line(row));
