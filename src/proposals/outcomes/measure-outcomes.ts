import { LineGrouping } from '../../analyzers/errors/final-groups.ts';
import type { ChangeOutcome, Verdict } from '../../domain/outcome.ts';
import type { Proposal, ProposalStatus } from '../../domain/proposal.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { TelemetryWarehouse, TimeWindow } from '../../ports/warehouse.ts';
import { changeMarker, knownDeployments } from './change-marker.ts';
import type { Comparison } from './comparison.ts';
import { featureComparison, learningComparison } from './interaction-outcomes.ts';
import { medianRatioTest, poissonRateTest, type TestResult } from './statistics.ts';

const DAY = 24 * 3600 * 1000;
/** Fewer hourly buckets than this on either side and a latency comparison says nothing. */
const MIN_HOURS = 24;
/** The most distinct error messages one window's comparison reads. */
const MESSAGE_LIMIT = 1_000_000;

export interface OutcomeSettings {
  /** Length of each of the two equal windows. */
  windowDays: number;
  /** Two-sided significance level of the verdict. */
  alpha: number;
  /** Only deploy markers to this environment (or naming none) start an after window; unset: every deploy. */
  deployEnvironment?: string;
}

export const DEFAULT_OUTCOME_SETTINGS: OutcomeSettings = { windowDays: 7, alpha: 0.05 };

/** What one proposal's measurement came to in this run. */
export interface OutcomeMeasurement {
  proposalId: string;
  state: 'measured' | 'waiting' | 'not measurable';
  detail: string;
  outcome?: ChangeOutcome;
}

export interface OutcomeDeps {
  store: ProposalStore;
  warehouse: TelemetryWarehouse;
  now: Date;
  settings?: OutcomeSettings;
  /** Told of every recorded outcome; a "worse" one is where a person is asked about a rollback. */
  onMeasured?(proposal: Proposal, outcome: ChangeOutcome): Promise<void>;
}

/** Changes that took effect: implemented by the executor (or a published knowledge entry), or merged on the code host. */
const LANDED: readonly ProposalStatus[] = ['implemented', 'merged'];

export function verdictOf(test: TestResult, alpha: number, lowerIsBetter: boolean, neutral: number): Verdict {
  if (test.pValue >= alpha) return 'no change';
  return test.estimate < neutral === lowerIsBetter ? 'improved' : 'worse';
}

/** Hourly p95s of the endpoint, before against after: a rank test and the ratio of their medians. */
async function latency(
  warehouse: TelemetryWarehouse,
  endpoint: string,
  before: TimeWindow,
  after: TimeWindow,
): Promise<Comparison | string> {
  const [b, a] = await Promise.all([
    warehouse.endpointSeries(before, 'hour', [endpoint]),
    warehouse.endpointSeries(after, 'hour', [endpoint]),
  ]);
  const values = (points: typeof b) => points.filter((p) => p.endpoint === endpoint && p.calls > 0).map((p) => p.p95Ms);
  const [vb, va] = [values(b), values(a)];
  if (vb.length < MIN_HOURS || va.length < MIN_HOURS)
    return `too little traffic: ${vb.length} hours with calls before, ${va.length} after (needs ${MIN_HOURS} each)`;
  const test = medianRatioTest(vb, va);
  const median = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1]!;
  return {
    measure: `hourly p95 of ${endpoint}`,
    before: Math.round(median(vb)),
    after: Math.round(median(va)),
    unit: 'ms (median hourly p95)',
    test: 'mann-whitney',
    effect: { kind: 'ratio', estimate: test.estimate, low: test.low, high: test.high },
    pValue: test.pValue,
    lowerIsBetter: true,
  };
}

/**
 * The error group of the proposal's example message, counted in each window. The messages of both
 * windows are mined together with the example, so the group is the one the example falls in,
 * whatever its template looks like now.
 */
async function errorRate(
  warehouse: TelemetryWarehouse,
  example: string,
  before: TimeWindow,
  after: TimeWindow,
): Promise<Comparison | string> {
  const [b, a] = await Promise.all([warehouse.errorMessages(before, MESSAGE_LIMIT), warehouse.errorMessages(after, MESSAGE_LIMIT)]);
  if (b.capped || a.capped) return `more than ${MESSAGE_LIMIT} distinct error messages in a window`;
  const grouping = new LineGrouping();
  grouping.add(example);
  const rows = [...b.rows.map((row) => ({ row, side: 0 })), ...a.rows.map((row) => ({ row, side: 1 }))];
  for (const { row } of rows) grouping.add(row.message);
  const { groupOfEach } = grouping.finish();
  const target = groupOfEach[0]!;
  const counts = [0, 0];
  rows.forEach(({ row, side }, i) => {
    if (groupOfEach[i + 1] === target) counts[side]! += row.count;
  });
  const [cb, ca] = counts as [number, number];
  if (cb === 0 && ca === 0) return 'the error group occurs in neither window';
  const test = poissonRateTest(cb, ca);
  return {
    measure: `occurrences of the error group "${target.template.slice(0, 120)}"`,
    before: cb,
    after: ca,
    unit: 'occurrences',
    test: 'poisson-rate',
    effect: { kind: 'ratio', estimate: test.estimate, low: test.low, high: test.high },
    pValue: test.pValue,
    lowerIsBetter: true,
  };
}

async function compare(
  proposal: Proposal,
  warehouse: TelemetryWarehouse,
  before: TimeWindow,
  after: TimeWindow,
): Promise<Comparison | string> {
  if (proposal.type === 'performance') {
    const endpoint = proposal.subject?.endpoint;
    return endpoint ? latency(warehouse, endpoint, before, after) : 'the proposal names no endpoint';
  }
  if (proposal.type === 'bug_fix') {
    const example = proposal.evidence.find((e) => e.label === 'example')?.value;
    return typeof example === 'string' && example
      ? errorRate(warehouse, example, before, after)
      : 'the proposal quotes no example error message';
  }
  if (proposal.type === 'learning') return learningComparison(warehouse, proposal, before, after);
  if (proposal.type === 'feature') return featureComparison(warehouse, proposal, before, after);
  return `no before/after measure for ${proposal.type} proposals yet`;
}

/**
 * For every change that took effect at least a window ago and has no outcome yet: its measure over
 * equal windows before and after, tested, with a verdict; recorded on the store and handed to
 * `onMeasured` (which asks for a rollback when it is significantly worse).
 */
export async function measureOutcomes(deps: OutcomeDeps): Promise<OutcomeMeasurement[]> {
  const settings = deps.settings ?? DEFAULT_OUTCOME_SETTINGS;
  const windowMs = settings.windowDays * DAY;
  const measured = new Set((await deps.store.listOutcomes()).map((o) => o.proposalId));
  const candidates: { proposal: Proposal; landedAt: number }[] = [];
  for (const status of LANDED) {
    for (let offset = 0; ; offset += 100) {
      const page = await deps.store.list({ status, limit: 100, offset });
      for (const summary of page.items) {
        if (measured.has(summary.id)) continue;
        const proposal = await deps.store.get(summary.id);
        const landed = proposal?.history.find((h) => h.to === 'implemented' || h.to === 'merged');
        if (proposal && landed) candidates.push({ proposal, landedAt: Date.parse(landed.at) });
      }
      if (offset + page.items.length >= page.total || !page.items.length) break;
    }
  }
  if (!candidates.length) return [];
  // One read of the deploy markers for every candidate: from the earliest landing until now.
  const earliest = Math.min(...candidates.map((c) => c.landedAt));
  const deployments = await knownDeployments(deps.store, deps.warehouse, {
    from: new Date(earliest),
    to: new Date(Math.max(deps.now.getTime(), earliest) + 1),
  });
  const results: OutcomeMeasurement[] = [];
  for (const { proposal } of candidates) {
    const took = changeMarker(proposal, deployments, settings.deployEnvironment);
    if (!took) continue;
    if (deps.now.getTime() < took.at + windowMs) {
      results.push({
        proposalId: proposal.id,
        state: 'waiting',
        detail: `the after window ends ${new Date(took.at + windowMs).toISOString()}`,
      });
      continue;
    }
    const before = { from: new Date(took.at - windowMs), to: new Date(took.at) };
    const after = { from: new Date(took.at), to: new Date(took.at + windowMs) };
    const comparison = await compare(proposal, deps.warehouse, before, after);
    if (typeof comparison === 'string') {
      results.push({ proposalId: proposal.id, state: 'not measurable', detail: comparison });
      continue;
    }
    const { lowerIsBetter, ...rest } = comparison;
    const outcome: ChangeOutcome = {
      proposalId: proposal.id,
      type: proposal.type,
      changedAt: new Date(took.at).toISOString(),
      marker: took.marker,
      markedBy: took.markedBy,
      windowDays: settings.windowDays,
      ...rest,
      verdict: verdictOf({ ...rest.effect, pValue: rest.pValue }, settings.alpha, lowerIsBetter, rest.effect.kind === 'ratio' ? 1 : 0),
      measuredAt: deps.now.toISOString(),
    };
    await deps.store.recordOutcome(outcome);
    await deps.onMeasured?.(proposal, outcome);
    results.push({ proposalId: proposal.id, state: 'measured', detail: describeOutcome(outcome), outcome });
  }
  return results;
}

/** One line for people: "improved: hourly p95 of GET /x 2840 → 1210 ms (×0.43, 95% CI ×0.39–×0.47, p < 0.001, 7 days each side)". */
export function describeOutcome(outcome: ChangeOutcome): string {
  return `${outcome.verdict}: ${describeMeasurement(outcome)}`;
}

/** The measurement without its verdict: "hourly p95 of GET /x 2840 → 1210 ms (×0.43, 95% CI …)". */
export function describeMeasurement(outcome: ChangeOutcome): string {
  const { effect } = outcome;
  const fmt = (v: number) =>
    Number.isFinite(v) ? (effect.kind === 'ratio' ? `×${v.toFixed(2)}` : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} pts`) : '∞';
  const p = outcome.pValue < 0.001 ? 'p < 0.001' : `p = ${outcome.pValue.toFixed(3)}`;
  return `${outcome.measure} ${outcome.before} → ${outcome.after} ${outcome.unit.split(' ')[0]} (${fmt(effect.estimate)}, 95% CI ${fmt(effect.low)}–${fmt(effect.high)}, ${p}, ${outcome.windowDays} days each side)`;
}
