import type {
  Capped,
  EndpointSeriesPoint,
  EndpointStats,
  ErrorMessageCount,
  InteractionText,
  InteractionTypeStats,
} from '../../../ports/warehouse.ts';
import { cappedRows } from '../../../ports/warehouse.ts';
import type { ResultRow } from './job-runner.ts';
import {
  dateCell,
  metadataCell,
  nullableDateCell,
  nullableNumberCell,
  nullableTextCell,
  numberCell,
  numberOrNaNCell,
  textCell,
} from './row-values.ts';

/** From the rows of each query in telemetry-queries.ts to the port's types. */

export function toEndpointStats(row: ResultRow): EndpointStats {
  return {
    endpoint: textCell(row, 'endpoint'),
    calls: numberCell(row, 'calls'),
    meanMs: numberOrNaNCell(row, 'mean_ms'),
    p50Ms: numberOrNaNCell(row, 'p50_ms'),
    p95Ms: numberOrNaNCell(row, 'p95_ms'),
    p99Ms: numberOrNaNCell(row, 'p99_ms'),
    errorRate: nullableNumberCell(row, 'error_rate') ?? 0,
  };
}

export function toSeriesPoint(row: ResultRow): EndpointSeriesPoint {
  return {
    endpoint: textCell(row, 'endpoint'),
    bucketStart: dateCell(row, 'bucket_start'),
    calls: numberCell(row, 'calls'),
    p95Ms: numberOrNaNCell(row, 'p95_ms'),
  };
}

export function toErrorMessages(rows: ResultRow[], cap: number): Capped<ErrorMessageCount> {
  return capped(rows, cap, 'first_seen', (row) => ({
    message: textCell(row, 'message'),
    stack: nullableTextCell(row, 'stack'),
    endpoint: nullableTextCell(row, 'endpoint'),
    count: numberCell(row, 'occurrences'),
    firstSeen: dateCell(row, 'first_seen'),
    lastSeen: dateCell(row, 'last_seen'),
  }));
}

export function toInteractionTexts(rows: ResultRow[], cap: number): Capped<InteractionText> {
  return capped(rows, cap, 'timestamp', toInteractionText);
}

export function toInteractionText(row: ResultRow): InteractionText {
  return {
    customerId: textCell(row, 'customer_id'),
    interactionType: nullableTextCell(row, 'interaction_type') ?? 'unknown',
    message: textCell(row, 'message'),
    response: nullableTextCell(row, 'response'),
    outcome: nullableTextCell(row, 'outcome'),
    sentiment: nullableNumberCell(row, 'sentiment_score'),
    metadata: metadataCell(row, 'metadata'),
    timestamp: dateCell(row, 'timestamp'),
  };
}

/** Folds the (type, outcome) rows into one entry per type, busiest first, then by type. */
export function toInteractionTypeStats(rows: ResultRow[]): InteractionTypeStats[] {
  const byType = new Map<
    string,
    { interactions: number; sentimentSum: number; sentimentCount: number; outcomes: Record<string, number> }
  >();
  for (const row of rows) {
    const type = textCell(row, 'type_name');
    const entry = byType.get(type) ?? { interactions: 0, sentimentSum: 0, sentimentCount: 0, outcomes: {} };
    const interactions = numberCell(row, 'interactions');
    entry.interactions += interactions;
    entry.sentimentSum += nullableNumberCell(row, 'sentiment_sum') ?? 0;
    entry.sentimentCount += numberCell(row, 'sentiment_count');
    const outcome = textCell(row, 'outcome_name');
    entry.outcomes[outcome] = (entry.outcomes[outcome] ?? 0) + interactions;
    byType.set(type, entry);
  }
  return [...byType]
    .map(([interactionType, e]): InteractionTypeStats => ({
      interactionType,
      interactions: e.interactions,
      meanSentiment: e.sentimentCount ? e.sentimentSum / e.sentimentCount : null,
      outcomes: e.outcomes,
    }))
    .sort(
      (a, b) =>
        b.interactions - a.interactions || (a.interactionType < b.interactionType ? -1 : a.interactionType > b.interactionType ? 1 : 0),
    );
}

/**
 * Every row carries total_rows; a row whose never-null marker column is null is the count alone
 * (nothing matched, or the cap is 0), not a kept row.
 */
function capped<T>(rows: ResultRow[], cap: number, marker: string, map: (row: ResultRow) => T): Capped<T> {
  const total = rows.length ? numberCell(rows[0]!, 'total_rows') : 0;
  const kept = rows.filter((row) => nullableDateCell(row, marker) !== null).map(map);
  return cappedRows(kept, total, cap);
}
