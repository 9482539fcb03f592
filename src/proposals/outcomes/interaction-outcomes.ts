import { detectFeatureRequest } from '../../analyzers/features/detect-request.ts';
import { outcomeClassOf } from '../../analyzers/learning/outcome.ts';
import type { Proposal } from '../../domain/proposal.ts';
import type { MatchedInteractionCount, TelemetryWarehouse, TimeWindow } from '../../ports/warehouse.ts';
import type { Comparison } from './comparison.ts';
import { exactProportionTest } from './fisher-exact.ts';
import { poissonRateTest } from './statistics.ts';
import { createTopicMatcher, searchPrefixes, topicMatchOf, type TopicMatch } from './topic-match.ts';

/** Fewer of the topic's interactions than this on either side and a rate says nothing. */
export const MIN_TOPIC_INTERACTIONS = 20;

async function matchedRows(
  warehouse: TelemetryWarehouse,
  match: TopicMatch,
  before: TimeWindow,
  after: TimeWindow,
): Promise<[MatchedInteractionCount[], MatchedInteractionCount[]] | string> {
  if (!warehouse.interactionsMatching) return `the ${warehouse.kind} warehouse cannot count interactions by topic`;
  const prefixes = searchPrefixes(match);
  const belongs = createTopicMatcher(match);
  const [b, a] = await Promise.all([warehouse.interactionsMatching(before, prefixes), warehouse.interactionsMatching(after, prefixes)]);
  return [b.filter((row) => belongs(row.message)), a.filter((row) => belongs(row.message))];
}

function nameOf(proposal: Proposal, label: 'topic' | 'theme', match: TopicMatch): string {
  const name = proposal.evidence.find((e) => e.label === label)?.value;
  return `${typeof name === 'string' && name ? `“${name.slice(0, 80)}” ` : ''}(${match.words.join(', ')})`;
}

const sum = (rows: readonly MatchedInteractionCount[], keep: (row: MatchedInteractionCount) => boolean = () => true) =>
  rows.reduce((total, row) => total + (keep(row) ? row.count : 0), 0);

/**
 * A learning proposal published the answer that worked for a topic; if it helped, fewer of the
 * topic's interactions end badly. The bad-outcome rate (the recorded outcome alone, as the learning
 * analyzer counts it: analyzers/learning/outcome.ts) before against after, by Fisher's exact test,
 * the effect as the difference in percentage points with Newcombe's interval.
 */
export async function learningComparison(
  warehouse: TelemetryWarehouse,
  proposal: Proposal,
  before: TimeWindow,
  after: TimeWindow,
): Promise<Comparison | string> {
  const match = topicMatchOf(proposal);
  if (!match) return 'the proposal names no distinctive words for its topic';
  const rows = await matchedRows(warehouse, match, before, after);
  if (typeof rows === 'string') return rows;
  const bad = (row: MatchedInteractionCount) => outcomeClassOf(row.outcome) === 'bad';
  const [nb, na] = [sum(rows[0]), sum(rows[1])];
  if (nb < MIN_TOPIC_INTERACTIONS || na < MIN_TOPIC_INTERACTIONS)
    return `too few interactions about the topic: ${nb} before, ${na} after (needs ${MIN_TOPIC_INTERACTIONS} each)`;
  const [xb, xa] = [sum(rows[0], bad), sum(rows[1], bad)];
  const test = exactProportionTest(xb, nb, xa, na);
  const percent = (x: number, n: number) => Math.round((x / n) * 1000) / 10;
  return {
    measure: `bad-outcome rate of interactions about ${nameOf(proposal, 'topic', match)}, ${xb} of ${nb} before, ${xa} of ${na} after`,
    before: percent(xb, nb),
    after: percent(xa, na),
    unit: '% of interactions ended badly',
    test: 'fisher-exact',
    effect: { kind: 'difference', estimate: test.estimate, low: test.low, high: test.high },
    pValue: test.pValue,
    lowerIsBetter: true,
  };
}

/**
 * A feature proposal asked for something customers request; once it is built, they stop asking for
 * it. So "improved" means significantly fewer requests for the theme after the change than before
 * (an exact Poisson rate test on the two equal windows), "worse" significantly more (people ask
 * again: the change did not give them what they asked for), and "no change" a rate that held.
 * Requests are the theme's messages that the feature analyzer's own detector reads as requests.
 */
export async function featureComparison(
  warehouse: TelemetryWarehouse,
  proposal: Proposal,
  before: TimeWindow,
  after: TimeWindow,
): Promise<Comparison | string> {
  const match = topicMatchOf(proposal);
  if (!match) return 'the proposal names no distinctive words for its theme';
  const rows = await matchedRows(warehouse, match, before, after);
  if (typeof rows === 'string') return rows;
  const verdicts = new Map<string, boolean>();
  const isRequest = (row: MatchedInteractionCount) => {
    let verdict = verdicts.get(row.message);
    if (verdict === undefined) verdicts.set(row.message, (verdict = detectFeatureRequest(row.message).isRequest));
    return verdict;
  };
  const [cb, ca] = [sum(rows[0], isRequest), sum(rows[1], isRequest)];
  if (cb === 0 && ca === 0) return 'no request for the theme in either window';
  const test = poissonRateTest(cb, ca);
  const days = (window: TimeWindow) => (window.to.getTime() - window.from.getTime()) / 86_400_000;
  const perDay = (count: number, window: TimeWindow) => (count / days(window)).toFixed(1);
  return {
    measure: `requests for ${nameOf(proposal, 'theme', match)}, ${perDay(cb, before)} a day before, ${perDay(ca, after)} after`,
    before: cb,
    after: ca,
    unit: 'requests',
    test: 'poisson-rate',
    effect: { kind: 'ratio', estimate: test.estimate, low: test.low, high: test.high },
    pValue: test.pValue,
    lowerIsBetter: true,
  };
}
