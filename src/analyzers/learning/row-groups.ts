import type { AnswerCandidate, InteractionFacet, InteractionGroupPlan, InteractionGroups, InteractionText } from '../../ports/warehouse.ts';
import { sentimentClassOf } from './outcome.ts';
import { spacedCandidates } from './success-patterns.ts';
import { rowHash } from './topic-sample.ts';

/**
 * Learning's grouped read over rows already in memory: what the SQL adapters compute
 * (duckdb/interaction-group-queries.ts), row by row. The analyzer uses it when the warehouse has
 * no grouped read (or the texts were capped), and it is the reference the SQL is tested against.
 * `rows` are in the warehouse's text order (newest first, then customer id, then message).
 */
export function groupRows(rows: readonly InteractionText[], plan: InteractionGroupPlan): InteractionGroups {
  const facets = new Map<string, InteractionFacet>();
  const classes = rows.map((row) => sentimentClassOf(row.sentiment));
  rows.forEach((row, i) => {
    const key = JSON.stringify([row.message, row.response, row.outcome, row.interactionType, classes[i]]);
    const facet = facets.get(key) ?? {
      message: row.message,
      response: row.response,
      outcome: row.outcome,
      interactionType: row.interactionType,
      sentimentClass: classes[i]!,
      count: 0,
      sentimentSum: 0,
      sentimentCount: 0,
    };
    facet.count += 1;
    if (row.sentiment !== null && !Number.isNaN(row.sentiment)) {
      facet.sentimentSum += row.sentiment;
      facet.sentimentCount += 1;
    }
    facets.set(key, facet);
  });
  const spec = plan.sample([...facets.values()]);
  const good = new Set(spec.goodOutcomes);
  const bad = new Set(spec.badOutcomes);
  const verdictOf = (i: number) => {
    const outcome = rows[i]!.outcome;
    if (outcome !== null && good.has(outcome)) return 'good';
    if (outcome !== null && bad.has(outcome)) return 'bad';
    return classes[i]!;
  };

  // The sample: per stratum, the first `quota` rows by row hash (ties: input order).
  const unsure = new Set(spec.unsureResponses);
  const strata: number[][] = [[], [], []];
  rows.forEach((row, i) => strata[unsure.has(row.response) ? 0 : verdictOf(i) === 'bad' ? 1 : 2]!.push(i));
  const sampled = new Map<string, { message: string; response: string | null; sampled: number; firstPosition: number }>();
  strata.forEach((indices, s) => {
    const quota = spec.quotas[s]!;
    const hashes = quota < indices.length ? new Map(indices.map((i) => [i, rowHash(rows[i]!)])) : null;
    if (hashes) indices.sort((a, b) => hashes.get(a)! - hashes.get(b)! || a - b);
    for (const i of indices.slice(0, quota)) {
      const row = rows[i]!;
      const key = JSON.stringify([row.message, row.response]);
      const entry = sampled.get(key) ?? { message: row.message, response: row.response, sampled: 0, firstPosition: i };
      entry.sampled += 1;
      entry.firstPosition = Math.min(entry.firstPosition, i);
      sampled.set(key, entry);
    }
  });

  const topicSpec = plan.topics([...sampled.values()]);
  const conversation = new Map(topicSpec.conversations.map((c) => [JSON.stringify([c.message, c.response]), c]));
  const of = (row: InteractionText) => conversation.get(JSON.stringify([row.message, row.response]))!;
  const customers = new Map<number, Set<string>>();
  const successes = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const { topic, answerable } = of(row);
    if (topic < 0) return;
    const seen = customers.get(topic) ?? new Set<string>();
    customers.set(topic, seen.add(row.customerId));
    if (!answerable || verdictOf(i) !== 'good') return;
    const list = successes.get(topic);
    if (list) list.push(i);
    else successes.set(topic, [i]);
  });
  const candidates: AnswerCandidate[] = [];
  for (const [topic, indices] of [...successes].sort((a, b) => a[0] - b[0])) {
    const sorted =
      indices.length > topicSpec.maxCandidates
        ? [...indices].sort((a, b) => of(rows[a]!).pairRank - of(rows[b]!).pairRank || a - b)
        : indices;
    for (const i of spacedCandidates(sorted, topicSpec.maxCandidates))
      candidates.push({ topic, response: rows[i]!.response!, sentiment: rows[i]!.sentiment });
  }

  const perCustomer = new Map<string, number>();
  for (const row of rows) perCustomer.set(row.customerId, (perCustomer.get(row.customerId) ?? 0) + 1);
  const profiled = new Set(
    [...perCustomer]
      .filter(([, n]) => n >= topicSpec.minInteractions)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, topicSpec.maxProfiles)
      .map(([id]) => id),
  );
  return {
    facets: [...facets.values()],
    topicCustomers: [...customers].map(([topic, seen]) => ({ topic, customers: seen.size })),
    candidates,
    profileRows: rows
      .filter((row) => profiled.has(row.customerId))
      .map((row) => ({ ...row, topic: of(row).topic < 0 ? null : of(row).topic })),
  };
}
