import { afterEach, describe, expect, it } from 'vitest';
import { ROW_HASH_UDF } from '../../../../src/adapters/warehouse/bigquery/interaction-group-queries.ts';
import { NO_TEXT_CAP } from '../../../../src/analyzers/interaction-texts.ts';
import { createLearningPlan } from '../../../../src/analyzers/learning/learning-plan.ts';
import { groupRows } from '../../../../src/analyzers/learning/row-groups.ts';
import { rowHash } from '../../../../src/analyzers/learning/topic-sample.ts';
import type { InteractionGroupPlan, SampledConversation } from '../../../../src/ports/warehouse.ts';
import { answerBySql, type RecordedQuery } from '../../../fakes/bigquery/fake-bigquery-server.ts';
import type { FakeField } from '../../../fakes/bigquery/wire-format.ts';
import { createMemoryWarehouse } from '../../../helpers/memory-warehouse.ts';
import { DAY, plantedDay } from '../../../analyzers/learning/planted-interactions.ts';
import { closeHarnesses, startHarness } from './harness.ts';

afterEach(closeHarnesses);

const field = (name: string, type: FakeField['type']): FakeField => ({ name, type, mode: 'NULLABLE' });
const TEXT_ROW = ['customer_id', 'interaction_type', 'message', 'response', 'outcome'].map((n) => field(n, 'STRING'));

/** What the in-memory reference decides and answers on the planted day, for the fake to answer with. */
async function reference() {
  const rows = (await createMemoryWarehouse({ interactions: plantedDay() }).interactionTexts(DAY, NO_TEXT_CAP)).rows;
  const { plan } = createLearningPlan({ topicSampleSize: 40, minInteractions: 2 });
  let sampled: readonly SampledConversation[] = [];
  let spec: ReturnType<InteractionGroupPlan['sample']> | undefined;
  const recording: InteractionGroupPlan = {
    sample: (facets) => (spec = plan.sample(facets)),
    topics: (given) => plan.topics((sampled = given)),
  };
  const groups = groupRows(rows, recording);
  return { groups, sampled, spec: spec! };
}

describe('the BigQuery warehouse, grouping interactions for learning', () => {
  it('pushes the same grouping down in five parameterized jobs and maps their rows to the groups the rows one by one give', async () => {
    const { groups, sampled, spec } = await reference();
    const keyOf = (message: string, response: string | null) =>
      String(1000 + groups.facets.findIndex((f) => f.message === message && f.response === response));
    const handler = answerBySql([
      [
        'row_hash(',
        {
          schema: [
            field('message', 'STRING'),
            field('response', 'STRING'),
            field('sampled', 'INTEGER'),
            field('first_position', 'INTEGER'),
          ],
          rows: sampled.map((s) => ({ ...s, first_position: s.firstPosition })),
        },
      ],
      ['COUNT(DISTINCT', { schema: [field('topic', 'INTEGER'), field('customers', 'INTEGER')], rows: groups.topicCustomers }],
      [
        '@max_candidates',
        {
          schema: [field('topic', 'INTEGER'), field('response', 'STRING'), field('sentiment_score', 'FLOAT')],
          rows: groups.candidates.map((c) => ({ ...c, sentiment_score: c.sentiment })),
        },
      ],
      [
        'profiled AS',
        {
          schema: [
            ...TEXT_ROW,
            field('sentiment_score', 'FLOAT'),
            field('metadata', 'JSON'),
            field('timestamp', 'TIMESTAMP'),
            field('topic', 'INTEGER'),
          ],
          rows: groups.profileRows.map((r) => ({
            ...r,
            customer_id: r.customerId,
            interaction_type: r.interactionType,
            sentiment_score: r.sentiment,
          })),
        },
      ],
      [
        'sentiment_class',
        {
          schema: [
            ...['message', 'response', 'outcome', 'interaction_type', 'sentiment_class'].map((n) => field(n, 'STRING')),
            field('conversation_key', 'INTEGER'),
            field('n', 'INTEGER'),
            field('sentiment_sum', 'FLOAT'),
            field('sentiment_count', 'INTEGER'),
          ],
          rows: groups.facets.map((f) => ({
            ...f,
            interaction_type: f.interactionType,
            sentiment_class: f.sentimentClass,
            conversation_key: keyOf(f.message, f.response),
            n: f.count,
            sentiment_sum: f.sentimentSum,
            sentiment_count: f.sentimentCount,
          })),
        },
      ],
    ]);
    const { fake, warehouse } = await startHarness({ handler });
    const { plan } = createLearningPlan({ topicSampleSize: 40, minInteractions: 2 });
    const answered = await warehouse.interactionGroups!(DAY, plan);
    expect(answered).toEqual(groups);

    const queries = fake.queries as RecordedQuery[];
    expect(queries).toHaveLength(5);
    for (const query of queries) {
      expect(query.sql).toContain('WHERE timestamp >= @from AND timestamp < @to AND message IS NOT NULL');
      expect(query.parameterValues.from).toBe(DAY.from.toISOString());
      expect(query.parameterMode).toBe('named');
    }
    const [, sample, customers] = queries as [RecordedQuery, RecordedQuery, RecordedQuery];
    expect(sample.parameterValues).toMatchObject({
      quota_unsure: String(spec.quotas[0]),
      quota_bad: String(spec.quotas[1]),
      quota_rest: String(spec.quotas[2]),
      unsure_responses: spec.unsureResponses,
      good_outcomes: spec.goodOutcomes,
      bad_outcomes: spec.badOutcomes,
    });
    // Conversations travel as their fingerprints, with their topics, never as text.
    const assigned = plan.topics(sampled).conversations.filter((c) => c.topic >= 0);
    expect(customers.parameterValues.keys).toEqual(assigned.map((c) => keyOf(c.message, c.response)));
    expect(customers.parameterValues.topics).toEqual(assigned.map((c) => String(c.topic)));
    expect(customers.parameters.map((p) => p.type)).not.toContain('ARRAY<STRING>');
  });

  it("hashes a row in its JavaScript UDF exactly as the analyzer's rowHash does, past U+FFFF too", () => {
    const body = /AS r"""([\s\S]*)"""/.exec(ROW_HASH_UDF)![1]!;
    const udf = new Function('s', body) as (s: string) => number;
    for (const message of ['How do I reset my password?', 'Paket 📦 kam nicht an', 'ünïcödé – “quotes”']) {
      const row = { customerId: 'c-42', timestamp: new Date('2026-03-09T10:11:12.345Z'), message };
      expect(udf(`${row.customerId}\u0000${row.timestamp.getTime()}\u0000${row.message}`)).toBe(rowHash(row));
    }
  });
});
