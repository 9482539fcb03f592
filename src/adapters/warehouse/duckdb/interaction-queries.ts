import { BIGINT, TIMESTAMP, type DuckDBConnection } from '@duckdb/node-api';
import type { Capped, InteractionText, InteractionTypeStats, TimeWindow } from '../../../ports/warehouse.ts';
import { cappedRows } from '../../../ports/warehouse.ts';
import { assertCap, queryRows, timestampParameter, toDate, toNullableNumber, toNumber } from './sql-statements.ts';

/** Interactions per type: count, mean sentiment and outcome counts (a missing outcome counts as "unknown"). */
export async function interactionStats(connection: DuckDBConnection, window: TimeWindow): Promise<InteractionTypeStats[]> {
  const rows = await queryRows(
    connection,
    `SELECT coalesce(interaction_type, 'unknown') AS interaction_type,
            coalesce(outcome, 'unknown') AS outcome,
            count(*) AS interactions,
            sum(sentiment_score) AS sentiment_sum,
            count(sentiment_score) AS sentiment_count
       FROM ai_learning.customer_interactions
      WHERE timestamp >= $1 AND timestamp < $2
      GROUP BY ALL
      ORDER BY interaction_type, outcome`,
    [timestampParameter(window.from), timestampParameter(window.to)],
    [TIMESTAMP, TIMESTAMP],
  );
  const byType = new Map<
    string,
    { interactions: number; sentimentSum: number; sentimentCount: number; outcomes: Record<string, number> }
  >();
  for (const row of rows) {
    const type = String(row.interaction_type);
    const stats = byType.get(type) ?? { interactions: 0, sentimentSum: 0, sentimentCount: 0, outcomes: {} };
    const count = toNumber(row.interactions);
    stats.interactions += count;
    stats.sentimentSum += toNumber(row.sentiment_sum);
    stats.sentimentCount += toNumber(row.sentiment_count);
    stats.outcomes[String(row.outcome)] = count;
    byType.set(type, stats);
  }
  return [...byType].map(([interactionType, stats]) => ({
    interactionType,
    interactions: stats.interactions,
    meanSentiment: stats.sentimentCount > 0 ? stats.sentimentSum / stats.sentimentCount : null,
    outcomes: stats.outcomes,
  }));
}

/** The newest `cap` interactions of the window, with how many there were. */
export async function interactionTexts(connection: DuckDBConnection, window: TimeWindow, cap: number): Promise<Capped<InteractionText>> {
  assertCap(cap);
  const bounds = [timestampParameter(window.from), timestampParameter(window.to)];
  const where = 'FROM ai_learning.customer_interactions WHERE timestamp >= $1 AND timestamp < $2 AND message IS NOT NULL';
  const [counted] = await queryRows(connection, `SELECT count(*) AS total ${where}`, bounds, [TIMESTAMP, TIMESTAMP]);
  const total = toNumber(counted?.total ?? 0);
  const rows =
    total === 0 || cap === 0
      ? []
      : await queryRows(
          connection,
          `SELECT customer_id, interaction_type, message, response, outcome, sentiment_score, metadata, timestamp
             ${where}
            ORDER BY timestamp DESC, customer_id, message
            LIMIT $3`,
          [...bounds, cap],
          [TIMESTAMP, TIMESTAMP, BIGINT],
        );
  return cappedRows(rows.map(interactionTextMapper()), total, cap);
}

/**
 * The rows of the window whose message `pick` keeps (the port's interactionsWithMessages): the
 * distinct messages out, the kept ones back in through an appender, their rows out in text order.
 */
export async function interactionsWithMessages(
  connection: DuckDBConnection,
  window: TimeWindow,
  pick: (messages: readonly string[]) => readonly string[],
): Promise<InteractionText[]> {
  const bounds = [timestampParameter(window.from), timestampParameter(window.to)];
  const where = 'FROM ai_learning.customer_interactions WHERE timestamp >= $1 AND timestamp < $2 AND message IS NOT NULL';
  const messages = (await queryRows(connection, `SELECT DISTINCT message ${where}`, bounds, [TIMESTAMP, TIMESTAMP])).map((row) =>
    String(row.message),
  );
  const kept = pick(messages);
  if (kept.length === 0) return [];
  await connection.run('CREATE TEMP TABLE picked_messages (message VARCHAR)');
  try {
    const appender = await connection.createAppender('picked_messages');
    try {
      for (const message of new Set(kept)) {
        appender.appendVarchar(message);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const rows = await queryRows(
      connection,
      `SELECT customer_id, interaction_type, message, response, outcome, sentiment_score, metadata, timestamp
         ${where} AND message IN (SELECT message FROM picked_messages)
        ORDER BY timestamp DESC, customer_id, message`,
      bounds,
      [TIMESTAMP, TIMESTAMP],
    );
    return rows.map(interactionTextMapper());
  } finally {
    await connection.run('DROP TABLE IF EXISTS picked_messages');
  }
}

/** A row as an InteractionText. Metadata repeats (a customer's plan and channel): each distinct text is parsed once, and rows that share one share the object, which nothing downstream mutates. */
function interactionTextMapper(): (row: Record<string, unknown>) => InteractionText {
  const metadata = new Map<unknown, Record<string, unknown>>();
  const metadataOf = (text: unknown) => {
    let parsed = metadata.get(text);
    if (!parsed) metadata.set(text, (parsed = parseMetadata(text)));
    return parsed;
  };
  return (row) => ({
    customerId: row.customer_id === null ? '' : String(row.customer_id),
    interactionType: row.interaction_type === null ? 'unknown' : String(row.interaction_type),
    message: String(row.message),
    response: row.response === null ? null : String(row.response),
    outcome: row.outcome === null ? null : String(row.outcome),
    sentiment: toNullableNumber(row.sentiment_score),
    metadata: metadataOf(row.metadata),
    timestamp: toDate(row.timestamp),
  });
}

/** The metadata JSON as an object; anything that is not a JSON object reads as {}. */
export function parseMetadata(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
