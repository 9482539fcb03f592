/**
 * Does ranking by a model of past decisions put what people will approve first? Simulated teams:
 * each has hidden tastes (by proposal type, by code area, for customer reach) plus noise, and
 * decides every finding by them; a "follows priority" team decides by the analyzers' own severity
 * alone, where the fixed rule is already right and the model must not do worse. For each team and
 * history length, the model learns from the decided proposals and ranks 40 pending ones; the
 * figure is NDCG@10 of what that team then approves, beside the fixed rule (priority, size,
 * newest) on the same pending set, averaged over 40 simulated teams.
 * Run: node --import tsx bench/priority-ranking.ts
 */
import { mixSeed, seededRandom } from '../src/analyzers/performance/seeded-random.ts';
import { PRIORITIES, PROPOSAL_TYPES, type Priority, type ProposalType } from '../src/domain/proposal.ts';
import { rankProposals, type Decision } from '../src/proposals/ranking/pending-ranking.ts';
import type { RankableProposal } from '../src/proposals/ranking/ranking-features.ts';

const AREAS = ['src/checkout', 'src/cart', 'src/admin', 'src/search', 'src/legacy', 'src/billing'];
const TEAMS = 40;
const PENDING = 40;
const HISTORIES = [10, 20, 40, 80, 160, 320];
const DEFAULT_MIN_DECISIONS = 20;

interface Simulated extends RankableProposal {
  createdAt: string;
  severity: number;
  customers: number;
  area: string;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function makeProposal(random: () => number, i: number): Simulated {
  const type = PROPOSAL_TYPES[Math.floor(random() * PROPOSAL_TYPES.length)]!;
  const severity = random();
  // The analyzers' priority follows severity, with their own noise.
  const priority: Priority = PRIORITIES[Math.min(3, Math.max(0, Math.floor((severity + 0.25 * gaussian(random)) * 4)))]!;
  const customers = type === 'feature' || type === 'learning' ? Math.floor(Math.exp(random() * 6)) : 0;
  const area = AREAS[Math.floor(random() * AREAS.length)]!;
  return {
    type,
    priority,
    severity,
    customers,
    area,
    magnitude: Math.round(10 ** (1 + 3 * severity)),
    evidence: customers ? [{ label: 'customers asking', value: customers }] : [],
    hasPatch: random() < 0.4,
    subject: { files: [`${area}/file${i % 7}.ts`] },
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
  };
}

interface Team {
  name: string;
  utility(p: Simulated): number;
}

function tasteTeam(random: () => number): Team {
  const byType = Object.fromEntries(PROPOSAL_TYPES.map((t) => [t, 1.5 * gaussian(random)])) as Record<ProposalType, number>;
  const byArea = Object.fromEntries(AREAS.map((a) => [a, gaussian(random)]));
  const reach = random();
  return {
    name: 'own tastes',
    utility: (p) => byType[p.type] + byArea[p.area]! + reach * Math.log1p(p.customers) * 0.5 + 1.0 * p.severity + 0.7 * gaussian(random),
  };
}

function priorityTeam(random: () => number): Team {
  return { name: 'follows priority', utility: (p) => 3 * p.severity + 0.7 * gaussian(random) };
}

function ndcgAt(k: number, ordered: readonly number[], all: readonly number[]): number {
  const dcg = (gains: readonly number[]) => gains.slice(0, k).reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  const ideal = dcg([...all].sort((a, b) => b - a));
  return ideal === 0 ? 1 : dcg(ordered) / ideal;
}

function simulate(
  kind: 'taste' | 'priority',
  history: number,
  seed: number,
): { rule: number; model: number; shipped: number; learned: number } {
  const random = seededRandom(seed);
  const team = kind === 'taste' ? tasteTeam(random) : priorityTeam(random);
  // A threshold that approves about 40% of what is filed, as teams tend to.
  const calibration = Array.from({ length: 400 }, (_, i) => team.utility(makeProposal(random, i))).sort((a, b) => a - b);
  const threshold = calibration[Math.floor(calibration.length * 0.6)]!;
  const decided = Array.from({ length: history }, (_, i) => makeProposal(random, i));
  const examples: Decision[] = decided.map((p) => ({
    proposal: p,
    approved: team.utility(p) > threshold,
    weight: 1,
    decidedAt: p.createdAt,
  }));
  const pending = Array.from({ length: PENDING }, (_, i) => makeProposal(random, history + i));
  const approves = new Map(pending.map((p) => [p, team.utility(p) > threshold ? 1 : 0]));
  const gains = pending.map((p) => approves.get(p)!);
  const ndcg = (ranking: { ranked: { proposal: Simulated }[] }) =>
    ndcgAt(
      10,
      ranking.ranked.map((r) => approves.get(r.proposal)!),
      gains,
    );
  const shipped = rankProposals(pending, examples, { minDecisions: DEFAULT_MIN_DECISIONS });
  return {
    rule: ndcg(rankProposals(pending, [], { minDecisions: 1 })),
    model: ndcg(rankProposals(pending, examples, { minDecisions: 0, heldOutCheck: false })),
    shipped: ndcg(shipped),
    learned: shipped.method === 'learned' ? 1 : 0,
  };
}

console.log(`NDCG@10 of what each simulated team approves among ${PENDING} pending proposals, mean of ${TEAMS} teams.`);
console.log(
  `"model only" skips the held-out check; "shipped" is the default setting (RANKING_MIN_DECISIONS=${DEFAULT_MIN_DECISIONS}, held-out check on).`,
);
console.log('team              decisions  fixed rule  model only  shipped  shipped/rule  teams where the model ranks');
for (const kind of ['taste', 'priority'] as const) {
  for (const history of HISTORIES) {
    const sum = { rule: 0, model: 0, shipped: 0, learned: 0 };
    for (let t = 0; t < TEAMS; t += 1) {
      const r = simulate(kind, history, mixSeed(kind === 'taste' ? 1 : 2, history, t));
      for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += r[key];
    }
    const mean = (v: number) => (v / TEAMS).toFixed(3);
    console.log(
      `${(kind === 'taste' ? 'own tastes' : 'follows priority').padEnd(17)} ${String(history).padStart(9)}  ${mean(sum.rule).padStart(10)}  ${mean(sum.model).padStart(10)}  ${mean(sum.shipped).padStart(7)}  ${(sum.shipped / sum.rule).toFixed(2).padStart(12)}  ${sum.learned}/${TEAMS}`,
    );
  }
}
const started = performance.now();
const random = seededRandom(7);
const big = Array.from({ length: 2000 }, (_, i) => makeProposal(random, i));
const team = tasteTeam(random);
rankProposals(
  big.slice(0, 500),
  big.slice(500).map((p) => ({ proposal: p, approved: team.utility(p) > 1, weight: 1, decidedAt: p.createdAt })),
  { minDecisions: 20 },
);
console.log(`training on 1,500 decisions and ranking 500 pending: ${(performance.now() - started).toFixed(0)} ms`);
