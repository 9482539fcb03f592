import type {
  AnswerCandidate,
  InteractionFacet,
  InteractionGroupPlan,
  InteractionGroups,
  InteractionText,
  SampledConversation,
  TimeWindow,
} from '../../../ports/warehouse.ts';
import type { WarehouseTables } from './identifiers.ts';
import type { ResultRow } from './job-runner.ts';
import { int64Parameter, stringArrayParameter, windowParameters, type QueryParameter } from './query-parameters.ts';
import { nullableNumberCell, nullableTextCell, numberCell, textCell } from './row-values.ts';
import { toInteractionText } from './result-mappers.ts';

/**
 * Learning's grouped read in BigQuery: the same push-down as DuckDB's (duckdb/interaction-group-queries.ts),
 * as five stateless jobs. Node's decisions travel as array parameters; conversations are named by
 * FARM_FINGERPRINT of their question and answer (the facets query answers each one's), so the
 * topic assignment costs 8 bytes a conversation in the request, not its text.
 */
export type ReadJob = (operation: string, sql: string, parameters: QueryParameter[]) => Promise<ResultRow[]>;

const ROWS = (
  tables: WarehouseTables,
) => `SELECT customer_id, interaction_type, message, response, outcome, sentiment_score, metadata, timestamp,
      FARM_FINGERPRINT(TO_JSON_STRING(STRUCT(message AS m, response AS r))) AS conversation_key,
      ROW_NUMBER() OVER (ORDER BY timestamp DESC, customer_id, message) - 1 AS pos
    FROM ${tables.interactions}
    WHERE timestamp >= @from AND timestamp < @to AND message IS NOT NULL`;

const SENTIMENT_CLASS = `CASE WHEN IS_NAN(sentiment_score) THEN 'neutral' WHEN sentiment_score >= 0.25 THEN 'good'
            WHEN sentiment_score <= -0.25 THEN 'bad' ELSE 'neutral' END`;

/** The outcome's class when Node named it, else the sentiment's: the row's verdict (outcome.ts). */
const VERDICT = `CASE WHEN outcome IN UNNEST(@good_outcomes) THEN 'good' WHEN outcome IN UNNEST(@bad_outcomes) THEN 'bad' ELSE ${SENTIMENT_CLASS} END`;

export function facetsSql(tables: WarehouseTables): string {
  return `SELECT message, response, outcome, IFNULL(interaction_type, 'unknown') AS interaction_type,
  IFNULL(${SENTIMENT_CLASS}, 'neutral') AS sentiment_class,
  ANY_VALUE(FARM_FINGERPRINT(TO_JSON_STRING(STRUCT(message AS m, response AS r)))) AS conversation_key,
  COUNT(*) AS n,
  SUM(IF(IS_NAN(sentiment_score), NULL, sentiment_score)) AS sentiment_sum,
  COUNT(IF(IS_NAN(sentiment_score), NULL, sentiment_score)) AS sentiment_count
FROM ${tables.interactions}
WHERE timestamp >= @from AND timestamp < @to AND message IS NOT NULL
GROUP BY message, response, outcome, interaction_type, sentiment_class`;
}

/** topic-sample.ts's rowHash (FNV-1a over UTF-16 code units, 32 bits) as a JavaScript UDF: the same V8 string. */
export const ROW_HASH_UDF = `CREATE TEMP FUNCTION row_hash(s STRING) RETURNS FLOAT64 LANGUAGE js AS r"""
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
""";`;

export function sampleSql(tables: WarehouseTables): string {
  return `${ROW_HASH_UDF}
WITH rows AS (${ROWS(tables)}),
classified AS (
  SELECT *, CASE WHEN response IN UNNEST(@unsure_responses) THEN 0 WHEN ${VERDICT} = 'bad' THEN 1 ELSE 2 END AS stratum FROM rows
),
ranked AS (
  SELECT message, response, pos, stratum,
    ROW_NUMBER() OVER (PARTITION BY stratum ORDER BY
      IF(stratum IN UNNEST(@hashed_strata),
         row_hash(CONCAT(IFNULL(customer_id, ''), CODE_POINTS_TO_STRING([0]), CAST(UNIX_MILLIS(timestamp) AS STRING), CODE_POINTS_TO_STRING([0]), message)),
         0),
      pos) AS rn
  FROM classified
)
SELECT message, response, COUNT(*) AS sampled, MIN(pos) AS first_position
FROM ranked
WHERE rn <= CASE stratum WHEN 0 THEN @quota_unsure WHEN 1 THEN @quota_bad ELSE @quota_rest END
GROUP BY message, response`;
}

/** The rows with their conversation's topic from the parallel arrays @keys, @topics, @pair_ranks, @answerable. */
const ASSIGNED = (tables: WarehouseTables) => `rows AS (${ROWS(tables)}),
conversations AS (
  SELECT key, @topics[OFFSET(i)] AS topic, @pair_ranks[OFFSET(i)] AS pair_rank, @answerable[OFFSET(i)] = 1 AS answerable
  FROM UNNEST(@keys) AS key WITH OFFSET AS i
),
assigned AS (
  SELECT rows.*, conversations.topic, conversations.pair_rank, conversations.answerable
  FROM rows LEFT JOIN conversations ON conversations.key = rows.conversation_key
)`;

export function topicCustomersSql(tables: WarehouseTables): string {
  return `WITH ${ASSIGNED(tables)}
SELECT topic, COUNT(DISTINCT IFNULL(customer_id, '')) AS customers FROM assigned WHERE topic IS NOT NULL GROUP BY topic`;
}

export function candidatesSql(tables: WarehouseTables): string {
  return `WITH ${ASSIGNED(tables)},
successes AS (
  SELECT topic, pair_rank, pos, response, sentiment_score FROM assigned WHERE topic IS NOT NULL AND answerable AND ${VERDICT} = 'good'
),
counted AS (SELECT *, COUNT(*) OVER (PARTITION BY topic) AS n FROM successes),
placed AS (
  SELECT *, IF(n > @max_candidates,
               ROW_NUMBER() OVER (PARTITION BY topic ORDER BY pair_rank, pos),
               ROW_NUMBER() OVER (PARTITION BY topic ORDER BY pos)) - 1 AS p
  FROM counted
)
SELECT topic, response, sentiment_score FROM placed
WHERE n <= @max_candidates
   OR (DIV(p * @max_candidates + n - 1, n) < @max_candidates
       AND DIV(DIV(p * @max_candidates + n - 1, n) * n, @max_candidates) = p)
ORDER BY topic, p`;
}

export function profileRowsSql(tables: WarehouseTables): string {
  return `WITH ${ASSIGNED(tables)},
profiled AS (
  SELECT IFNULL(customer_id, '') AS customer, COUNT(*) AS n FROM rows GROUP BY customer
  HAVING COUNT(*) >= @min_interactions ORDER BY n DESC, customer LIMIT @max_profiles
)
SELECT assigned.* EXCEPT (conversation_key, pair_rank, answerable)
FROM assigned JOIN profiled ON profiled.customer = IFNULL(assigned.customer_id, '')
ORDER BY pos`;
}

export async function bigQueryInteractionGroups(
  tables: WarehouseTables,
  read: ReadJob,
  window: TimeWindow,
  plan: InteractionGroupPlan,
): Promise<InteractionGroups> {
  const bounds = windowParameters(window);
  const keys = new Map<string, Map<string | null, string>>();
  const facets = (await read('interaction_facets', facetsSql(tables), bounds)).map((row): InteractionFacet => {
    const facet: InteractionFacet = {
      message: textCell(row, 'message'),
      response: nullableTextCell(row, 'response'),
      outcome: nullableTextCell(row, 'outcome'),
      interactionType: textCell(row, 'interaction_type'),
      sentimentClass: textCell(row, 'sentiment_class') as InteractionFacet['sentimentClass'],
      count: numberCell(row, 'n'),
      sentimentSum: nullableNumberCell(row, 'sentiment_sum') ?? 0,
      sentimentCount: numberCell(row, 'sentiment_count'),
    };
    const answers = keys.get(facet.message) ?? new Map<string | null, string>();
    keys.set(facet.message, answers.set(facet.response, String(row.conversation_key)));
    return facet;
  });

  const spec = plan.sample(facets);
  const unsure = new Set(spec.unsureResponses);
  const good = new Set(spec.goodOutcomes);
  const bad = new Set(spec.badOutcomes);
  const sizes = [0, 0, 0];
  for (const f of facets) {
    const verdict =
      f.outcome !== null && good.has(f.outcome) ? 'good' : f.outcome !== null && bad.has(f.outcome) ? 'bad' : f.sentimentClass;
    sizes[unsure.has(f.response) ? 0 : verdict === 'bad' ? 1 : 2]! += f.count;
  }
  const outcomes = [stringArrayParameter('good_outcomes', spec.goodOutcomes), stringArrayParameter('bad_outcomes', spec.badOutcomes)];
  const sampled = (
    await read('interaction_sample', sampleSql(tables), [
      ...bounds,
      ...outcomes,
      stringArrayParameter(
        'unsure_responses',
        spec.unsureResponses.filter((r): r is string => r !== null),
      ),
      int64ArrayParameter(
        'hashed_strata',
        [0, 1, 2].filter((s) => spec.quotas[s]! < sizes[s]!),
      ),
      int64Parameter('quota_unsure', spec.quotas[0]),
      int64Parameter('quota_bad', spec.quotas[1]),
      int64Parameter('quota_rest', spec.quotas[2]),
    ])
  ).map((row): SampledConversation => ({
    message: textCell(row, 'message'),
    response: nullableTextCell(row, 'response'),
    sampled: numberCell(row, 'sampled'),
    firstPosition: numberCell(row, 'first_position'),
  }));

  const topics = plan.topics(sampled);
  const assigned = topics.conversations.filter((c) => c.topic >= 0);
  const topicParameters = [
    ...bounds,
    int64ArrayParameter(
      'keys',
      assigned.map((c) => keys.get(c.message)!.get(c.response)!),
    ),
    int64ArrayParameter(
      'topics',
      assigned.map((c) => c.topic),
    ),
    int64ArrayParameter(
      'pair_ranks',
      assigned.map((c) => c.pairRank),
    ),
    int64ArrayParameter(
      'answerable',
      assigned.map((c) => (c.answerable ? 1 : 0)),
    ),
  ];
  const topicCustomers = (await read('interaction_topic_customers', topicCustomersSql(tables), topicParameters)).map((row) => ({
    topic: numberCell(row, 'topic'),
    customers: numberCell(row, 'customers'),
  }));
  const candidates = (
    await read('interaction_answer_candidates', candidatesSql(tables), [
      ...topicParameters,
      ...outcomes,
      int64Parameter('max_candidates', topics.maxCandidates),
    ])
  ).map((row): AnswerCandidate => ({
    topic: numberCell(row, 'topic'),
    response: textCell(row, 'response'),
    sentiment: nullableNumberCell(row, 'sentiment_score'),
  }));
  const profileRows = (
    await read('interaction_profile_rows', profileRowsSql(tables), [
      ...topicParameters,
      int64Parameter('min_interactions', topics.minInteractions),
      int64Parameter('max_profiles', topics.maxProfiles),
    ])
  ).map((row): InteractionText & { topic: number | null } => ({ ...toInteractionText(row), topic: nullableNumberCell(row, 'topic') }));
  return { facets, topicCustomers, candidates, profileRows };
}

function int64ArrayParameter(name: string, values: readonly (number | string)[]): QueryParameter {
  return {
    name,
    parameterType: { type: 'ARRAY', arrayType: { type: 'INT64' } },
    parameterValue: { arrayValues: values.map((value) => ({ value: String(value) })) },
  };
}
