/**
 * Does "Did it help?" find a planted effect, and stay quiet where there is none? Simulated weeks of
 * telemetry around a change, 200 trials per scenario, each with its own seed:
 *
 * - learning: a topic's bad-outcome rate 40% → 25% (effect) or 30% → 30% (none), with 120 and 30
 *   of the topic's interactions per week; Fisher's exact test with Newcombe's interval, beside the
 *   Wald z test (statistics.ts twoProportionTest) on the same counts as the baseline;
 * - features: a theme's requests 20 → 14 a day (effect) or 15 → 15 (none), exact Poisson rate test;
 * - deploy markers: an error group at 2 an hour that falls to 1.2 an hour (×0.6) when the change is
 *   deployed, three days after its merge; the after window started at the deploy marker against
 *   starting it at the merge (the baseline): mean estimated ratio and how often the 95% interval
 *   holds the true ×0.6.
 *
 * Every figure goes through the real code: the in-memory warehouse (the SQL adapters' reference),
 * the topic matcher, learningComparison / featureComparison, changeMarker and the tests.
 * Run: node --import tsx bench/outcome-verdicts.ts
 */
import { mixSeed, seededRandom } from '../src/analyzers/performance/seeded-random.ts';
import type { Proposal } from '../src/domain/proposal.ts';
import { changeMarker } from '../src/proposals/outcomes/change-marker.ts';
import { featureComparison, learningComparison } from '../src/proposals/outcomes/interaction-outcomes.ts';
import { verdictOf } from '../src/proposals/outcomes/measure-outcomes.ts';
import { poissonRateTest, twoProportionTest } from '../src/proposals/outcomes/statistics.ts';
import { createMemoryWarehouse, type InteractionRow } from '../test/helpers/memory-warehouse.ts';

const TRIALS = 200;
const ALPHA = 0.05;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHANGED = Date.parse('2026-01-15T00:00:00Z');
const before = { from: new Date(CHANGED - 7 * DAY), to: new Date(CHANGED) };
const after = { from: new Date(CHANGED), to: new Date(CHANGED + 7 * DAY) };

function poisson(random: () => number, mean: number): number {
  // Knuth's method; the means here are small.
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

function proposal(type: 'learning' | 'feature', words: string, history: Proposal['history'] = []): Proposal {
  return {
    type,
    title: 't',
    summary: 's',
    evidence: [{ label: 'distinctive words', value: words }],
    priority: 'low',
    risk: '',
    implementationPlan: '',
    rollbackPlan: '',
    testPlan: '',
    fingerprint: `${type}:${words}`,
    id: 'p',
    status: 'implemented',
    version: 4,
    createdAt: new Date(CHANGED - DAY).toISOString(),
    updatedAt: new Date(CHANGED).toISOString(),
    history,
  };
}

const spread = (n: number, from: number, i: number) => new Date(from + ((i + 0.5) * 7 * DAY) / n);

function topicWeek(random: () => number, n: number, badRate: number, from: number): InteractionRow[] {
  return Array.from({ length: n }, (_, i) => ({
    customerId: `c${i}`,
    interactionType: 'chat',
    message: i % 2 ? 'Can I talk to a human?' : `I want to talk to a real person about order ${i}`,
    outcome: random() < badRate ? 'escalated' : 'resolved',
    timestamp: spread(n, from, i),
  }));
}

interface Tally {
  improved: number;
  worse: number;
}
const rate = (count: number) => `${((100 * count) / TRIALS).toFixed(1)}%`;

async function learning(perWeek: number, rates: [number, number], label: string): Promise<void> {
  const exact: Tally = { improved: 0, worse: 0 };
  const wald: Tally = { improved: 0, worse: 0 };
  for (let trial = 0; trial < TRIALS; trial++) {
    const random = seededRandom(mixSeed(1, perWeek, trial, rates[0] * 100));
    const warehouse = createMemoryWarehouse({
      interactions: [...topicWeek(random, perWeek, rates[0], before.from.getTime()), ...topicWeek(random, perWeek, rates[1], CHANGED)],
    });
    const result = await learningComparison(warehouse, proposal('learning', 'human, talk, person'), before, after);
    if (typeof result === 'string') throw new Error(result);
    const verdict = verdictOf({ ...result.effect, pValue: result.pValue }, ALPHA, true, 0);
    if (verdict !== 'no change') exact[verdict]++;
    // The baseline: the same counts through the Wald z test.
    const [xb, nb] = [Math.round((result.before / 100) * perWeek), perWeek];
    const [xa, na] = [Math.round((result.after / 100) * perWeek), perWeek];
    const z = twoProportionTest(xb, nb, xa, na);
    const zVerdict = verdictOf(z, ALPHA, true, 0);
    if (zVerdict !== 'no change') wald[zVerdict]++;
  }
  console.log(
    `learning ${label.padEnd(34)} ${String(perWeek).padStart(4)}/week   Fisher: improved ${rate(exact.improved).padStart(6)} worse ${rate(exact.worse).padStart(6)}   Wald z (baseline): improved ${rate(wald.improved).padStart(6)} worse ${rate(wald.worse).padStart(6)}`,
  );
}

async function features(perDay: [number, number], label: string): Promise<void> {
  const tally: Tally = { improved: 0, worse: 0 };
  for (let trial = 0; trial < TRIALS; trial++) {
    const random = seededRandom(mixSeed(2, trial, perDay[0], perDay[1]));
    const rows: InteractionRow[] = [];
    for (const [side, mean] of [
      [before.from.getTime(), perDay[0]],
      [CHANGED, perDay[1]],
    ] as const) {
      for (let day = 0; day < 7; day++) {
        const n = poisson(random, mean);
        for (let i = 0; i < n; i++)
          rows.push({
            customerId: `c${i}`,
            interactionType: 'chat',
            message: `Please add CSV export for invoices ${i}`,
            timestamp: new Date(side + day * DAY + ((i + 0.5) * DAY) / n),
          });
      }
    }
    const result = await featureComparison(
      createMemoryWarehouse({ interactions: rows }),
      proposal('feature', 'csv, export'),
      before,
      after,
    );
    if (typeof result === 'string') throw new Error(result);
    const verdict = verdictOf({ ...result.effect, pValue: result.pValue }, ALPHA, true, 1);
    if (verdict !== 'no change') tally[verdict]++;
  }
  console.log(`features ${label.padEnd(34)}   improved ${rate(tally.improved).padStart(6)} worse ${rate(tally.worse).padStart(6)}`);
}

function deployMarkers(): void {
  const merged = CHANGED;
  const deployed = merged + 3 * DAY;
  const history: Proposal['history'] = [
    { version: 2, at: new Date(merged - DAY).toISOString(), actor: 'x', action: 'implemented', from: 'executing', to: 'implemented' },
    { version: 3, at: new Date(merged).toISOString(), actor: 'x', action: 'merged', from: 'implemented', to: 'merged' },
  ];
  const p = { ...proposal('feature', 'x', history), status: 'merged' as const };
  const byDeploy = changeMarker(p, [{ id: 'd', deployedAt: new Date(deployed).toISOString(), source: 'api' }])!;
  const byMerge = changeMarker(p, [])!;
  for (const [name, start] of [
    ['after window from the deploy marker', byDeploy.at],
    ['after window from the merge (baseline)', byMerge.at],
  ] as const) {
    let sum = 0;
    let covered = 0;
    let improved = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const random = seededRandom(mixSeed(3, trial));
      // Hourly counts from 7 days before the merge to 7 days after the deploy; the change acts at the deploy.
      const hours = new Map<number, number>();
      for (let t = merged - 7 * DAY; t < deployed + 7 * DAY; t += HOUR) hours.set(t, poisson(random, t < deployed ? 2 : 1.2));
      const count = (from: number, to: number) => [...hours].filter(([t]) => t >= from && t < to).reduce((s, [, n]) => s + n, 0);
      const test = poissonRateTest(count(start - 7 * DAY, start), count(start, start + 7 * DAY));
      sum += test.estimate;
      if (test.low <= 0.6 && 0.6 <= test.high) covered++;
      if (verdictOf(test, ALPHA, true, 1) === 'improved') improved++;
    }
    console.log(
      `deploy   ${name.padEnd(40)} mean ratio ×${(sum / TRIALS).toFixed(3)} (true ×0.600)   95% CI holds ×0.6 in ${rate(covered).padStart(6)}   improved ${rate(improved).padStart(6)}`,
    );
  }
}

console.log(`${TRIALS} trials per scenario, alpha ${ALPHA}, 7 days each side\n`);
await learning(120, [0.4, 0.25], 'bad outcomes 40% → 25% (effect)');
await learning(120, [0.3, 0.3], 'bad outcomes 30% → 30% (none)');
await learning(30, [0.4, 0.25], 'bad outcomes 40% → 25% (effect)');
await learning(30, [0.3, 0.3], 'bad outcomes 30% → 30% (none)');
await features([20, 14], 'requests 20 → 14 a day (effect)');
await features([15, 15], 'requests 15 → 15 a day (none)');
deployMarkers();
