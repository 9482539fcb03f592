import { BIGINT, INTEGER, LIST, TIMESTAMP, listValue, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { InteractionFacet, InteractionGroupPlan, InteractionGroups, TimeWindow } from '../../../ports/warehouse.ts';
import { parseMetadata } from './interaction-queries.ts';
import { queryRows, timestampParameter, toDate, toNullableNumber, toNumber } from './sql-statements.ts';

/**
 * Learning's grouped read (the port's InteractionGroupPlan) in one connection, whose temporary
 * tables die with it: the window's rows once into `learning_rows` with their text-order position,
 * facets out, the plan's decisions (unsure answers, outcome classes, topics) in through appenders,
 * and only aggregates, ≤ maxCandidates rows per topic and the profiled customers' rows back.
 * analyzers/learning/row-groups.ts is the same computation over rows in memory.
 */
export async function interactionGroups(
  connection: DuckDBConnection,
  window: TimeWindow,
  plan: InteractionGroupPlan,
): Promise<InteractionGroups> {
  // Text order is interactionTexts' (newest first, then customer id, then message); `pos` keeps it.
  await run(
    connection,
    `CREATE TEMP TABLE learning_rows AS
       SELECT coalesce(customer_id, '') AS customer, coalesce(interaction_type, 'unknown') AS interaction_type,
              message, response, outcome, sentiment_score AS sentiment, metadata, timestamp,
              CASE WHEN sentiment_score >= 0.25 AND NOT isnan(sentiment_score) THEN 'good'
                   WHEN sentiment_score <= -0.25 THEN 'bad' ELSE 'neutral' END AS sentiment_class,
              row_number() OVER (ORDER BY timestamp DESC, customer_id, message) - 1 AS pos
         FROM ai_learning.customer_interactions
        WHERE timestamp >= $1 AND timestamp < $2 AND message IS NOT NULL`,
    [timestampParameter(window.from), timestampParameter(window.to)],
    [TIMESTAMP, TIMESTAMP],
  );
  const facets = (
    await queryRows(
      connection,
      `SELECT message, response, outcome, interaction_type, sentiment_class, count(*) AS n,
              sum(sentiment) FILTER (WHERE NOT isnan(sentiment)) AS sentiment_sum,
              count(sentiment) FILTER (WHERE NOT isnan(sentiment)) AS sentiment_count
         FROM learning_rows GROUP BY ALL`,
    )
  ).map((row): InteractionFacet => ({
    message: String(row.message),
    response: row.response === null ? null : String(row.response),
    outcome: row.outcome === null ? null : String(row.outcome),
    interactionType: String(row.interaction_type),
    sentimentClass: row.sentiment_class as InteractionFacet['sentimentClass'],
    count: toNumber(row.n),
    sentimentSum: toNumber(row.sentiment_sum),
    sentimentCount: toNumber(row.sentiment_count),
  }));

  const spec = plan.sample(facets);
  await connection.run('CREATE TEMP TABLE learning_unsure (response VARCHAR)');
  await append(connection, 'learning_unsure', spec.unsureResponses, (appender, response) => appender.appendVarchar(response!));
  await connection.run('CREATE TEMP TABLE learning_outcomes (outcome VARCHAR, class VARCHAR)');
  const classes = [...spec.goodOutcomes.map((o) => [o, 'good'] as const), ...spec.badOutcomes.map((o) => [o, 'bad'] as const)];
  await append(connection, 'learning_outcomes', classes, (appender, [outcome, verdict]) => {
    appender.appendVarchar(outcome);
    appender.appendVarchar(verdict);
  });
  await run(connection, `CREATE TEMP MACRO learning_fnv1a(s) AS ${FNV1A_UTF16}`);
  // Per stratum, the first `quota` rows by the row hash (topic-sample.ts: FNV-1a over customer id,
  // epoch milliseconds and message), ties in text order; a stratum taken whole needs no hash.
  // Stratum sizes from the facets, as the SQL below classifies rows (a facet's rows share a stratum).
  const unsure = new Set(spec.unsureResponses);
  const good = new Set(spec.goodOutcomes);
  const bad = new Set(spec.badOutcomes);
  const sizes = [0, 0, 0];
  for (const f of facets) {
    const verdict =
      f.outcome !== null && good.has(f.outcome) ? 'good' : f.outcome !== null && bad.has(f.outcome) ? 'bad' : f.sentimentClass;
    sizes[unsure.has(f.response) ? 0 : verdict === 'bad' ? 1 : 2]! += f.count;
  }
  const stratumOf = `CASE WHEN u.response IS NOT NULL THEN 0 WHEN coalesce(o.class, r.sentiment_class) = 'bad' THEN 1 ELSE 2 END`;
  const [q0, q1, q2] = spec.quotas;
  const sampled = (
    await queryRows(
      connection,
      `WITH classified AS (
         SELECT r.*, ${stratumOf} AS stratum FROM learning_rows r
           LEFT JOIN learning_unsure u ON u.response = r.response LEFT JOIN learning_outcomes o ON o.outcome = r.outcome
       ), ranked AS (
         SELECT message, response, pos, stratum,
                row_number() OVER (PARTITION BY stratum ORDER BY
                  CASE WHEN list_contains($4, stratum) THEN learning_fnv1a(concat(customer, chr(0), epoch_ms(timestamp)::VARCHAR, chr(0), message)) ELSE 0 END,
                  pos) AS rn
           FROM classified
       )
       SELECT message, response, count(*) AS sampled, min(pos) AS first_position FROM ranked
        WHERE rn <= CASE stratum WHEN 0 THEN $1 WHEN 1 THEN $2 ELSE $3 END
        GROUP BY ALL`,
      [q0, q1, q2, listValue([0, 1, 2].filter((s) => spec.quotas[s]! < sizes[s]!))],
      [BIGINT, BIGINT, BIGINT, LIST(INTEGER)],
    )
  ).map((row) => ({
    message: String(row.message),
    response: row.response === null ? null : String(row.response),
    sampled: toNumber(row.sampled),
    firstPosition: toNumber(row.first_position),
  }));

  const topics = plan.topics(sampled);
  await connection.run(
    'CREATE TEMP TABLE learning_topics (message VARCHAR, response VARCHAR, topic INTEGER, pair_rank INTEGER, answerable BOOLEAN)',
  );
  await append(connection, 'learning_topics', topics.conversations, (appender, c) => {
    appender.appendVarchar(c.message);
    if (c.response === null) appender.appendNull();
    else appender.appendVarchar(c.response);
    appender.appendInteger(c.topic);
    appender.appendInteger(c.pairRank);
    appender.appendBoolean(c.answerable);
  });
  // A view, not a second copy of the window's rows: the three queries below join again, which costs
  // less than holding the copy (about 60 MiB less peak RSS on the 1× sample).
  await connection.run(
    `CREATE TEMP VIEW learning_assigned AS
       SELECT r.*, t.topic, t.pair_rank, t.answerable FROM learning_rows r
         JOIN learning_topics t ON t.message = r.message AND t.response IS NOT DISTINCT FROM r.response`,
  );
  const topicCustomers = (
    await queryRows(
      connection,
      'SELECT topic, count(DISTINCT customer) AS customers FROM learning_assigned WHERE topic >= 0 GROUP BY topic',
    )
  ).map((row) => ({ topic: toNumber(row.topic), customers: toNumber(row.customers) }));
  // success-patterns.ts: up to `max` successes all, in text order; past it `max` of them evenly
  // spaced in (answer, question) order, position p kept when some k < max has ⌊k·n/max⌋ = p.
  const candidates = (
    await queryRows(
      connection,
      `WITH s AS (
         SELECT a.topic, a.pair_rank, a.pos, a.response, a.sentiment FROM learning_assigned a
           LEFT JOIN learning_outcomes o ON o.outcome = a.outcome
          WHERE a.topic >= 0 AND a.answerable AND coalesce(o.class, a.sentiment_class) = 'good'
       ), counted AS (
         SELECT s.*, count(*) OVER (PARTITION BY topic) AS n FROM s
       ), placed AS (
         SELECT *, CASE WHEN n > $1 THEN row_number() OVER (PARTITION BY topic ORDER BY pair_rank, pos)
                        ELSE row_number() OVER (PARTITION BY topic ORDER BY pos) END - 1 AS p
           FROM counted
       )
       SELECT topic, response, sentiment FROM placed
        WHERE n <= $1 OR ((p * $1 + n - 1) // n < $1 AND (((p * $1 + n - 1) // n) * n) // $1 = p)
        ORDER BY topic, p`,
      [topics.maxCandidates],
      [BIGINT],
    )
  ).map((row) => ({ topic: toNumber(row.topic), response: String(row.response), sentiment: toNullableNumber(row.sentiment) }));
  const profileRows = (
    await queryRows(
      connection,
      `WITH profiled AS (
         SELECT customer, count(*) AS n FROM learning_rows GROUP BY customer HAVING count(*) >= $1 ORDER BY n DESC, customer LIMIT $2
       )
       SELECT a.* FROM learning_assigned a JOIN profiled USING (customer) ORDER BY a.pos`,
      [topics.minInteractions, topics.maxProfiles],
      [BIGINT, BIGINT],
    )
  ).map((row) => ({
    customerId: String(row.customer),
    interactionType: String(row.interaction_type),
    message: String(row.message),
    response: row.response === null ? null : String(row.response),
    outcome: row.outcome === null ? null : String(row.outcome),
    sentiment: toNullableNumber(row.sentiment),
    metadata: parseMetadata(row.metadata),
    timestamp: toDate(row.timestamp),
    topic: toNumber(row.topic) < 0 ? null : toNumber(row.topic),
  }));
  return { facets, topicCustomers, candidates, profileRows };
}

/**
 * FNV-1a over a string's UTF-16 code units, as JavaScript's charCodeAt sees them (a character past
 * U+FFFF is its two surrogates), in 32 bits: topic-sample.ts's rowHash, so the sample is the one the
 * rows one by one would give.
 */
const FNV1A_UTF16 = `list_reduce(
  list_prepend(2166136261::UBIGINT, flatten(list_transform(string_split(s, ''), ch ->
    CASE WHEN unicode(ch) > 65535
         THEN [(55296 + ((unicode(ch) - 65536) >> 10))::UBIGINT, (56320 + ((unicode(ch) - 65536) & 1023))::UBIGINT]
         ELSE [unicode(ch)::UBIGINT] END))),
  (h, x) -> (xor(h, x) * 16777619) % 4294967296)`;

async function run(connection: DuckDBConnection, sql: string, values: DuckDBValue[] = [], types: DuckDBType[] = []): Promise<void> {
  const prepared = await connection.prepare(sql);
  try {
    if (values.length) prepared.bind(values, types);
    await prepared.run();
  } finally {
    prepared.destroySync();
  }
}

async function append<T>(
  connection: DuckDBConnection,
  table: string,
  items: readonly T[],
  write: (appender: Awaited<ReturnType<DuckDBConnection['createAppender']>>, item: T) => void,
): Promise<void> {
  const appender = await connection.createAppender(table);
  try {
    for (const item of items) {
      write(appender, item);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
