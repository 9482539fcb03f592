import { bigQueryFailure, type FakeFailure } from './bigquery-errors.ts';
import type { FakeField, FakeRow, RecordedParameter } from './wire-format.ts';

/** What a test tells the fake BigQuery to answer, and what the fake recorded of each query. */

export interface FakeResult {
  schema: FakeField[];
  rows?: FakeRow[];
  /** Set for DML answers. */
  numDmlAffectedRows?: number;
  /** The first N getQueryResults calls answer jobComplete: false, as for a job still running. */
  pendingPolls?: number;
  totalBytesProcessed?: string;
}

export interface FakePending {
  /** The job never completes (until cancelled). */
  pending: true;
}

export type FakeAnswer = FakeResult | FakeFailure | FakePending;

export interface RecordedQuery {
  via: 'jobs.insert' | 'jobs.query';
  projectId: string;
  jobId: string;
  sql: string;
  parameters: RecordedParameter[];
  /** name → value as sent, for short asserts. */
  parameterValues: Record<string, unknown>;
  parameterMode?: string;
  useLegacySql?: boolean;
  maximumBytesBilled?: string;
  jobTimeoutMs?: string;
  location?: string;
  labels?: Record<string, string>;
  authorization?: string;
}

export type FakeHandler = (query: RecordedQuery) => FakeAnswer | Promise<FakeAnswer>;

/** A handler from (SQL pattern → answer) pairs; the first pattern found in the SQL answers. */
export function answerBySql(routes: [RegExp | string, FakeAnswer | FakeHandler][], fallback: FakeHandler = defaultHandler): FakeHandler {
  return (query) => {
    for (const [pattern, answer] of routes) {
      const hit = typeof pattern === 'string' ? query.sql.includes(pattern) : pattern.test(query.sql);
      if (hit) return typeof answer === 'function' ? answer(query) : answer;
    }
    return fallback(query);
  };
}

/** Answers `SELECT 1` (a ping) and refuses anything else, naming the query it had no answer for. */
export const defaultHandler: FakeHandler = (query) =>
  /^\s*SELECT\s+1\s*$/i.test(query.sql)
    ? { schema: [{ name: 'f0_', type: 'INT64', mode: 'NULLABLE' }], rows: [[1]] }
    : bigQueryFailure(400, 'invalidQuery', `fake BigQuery has no answer for: ${query.sql.slice(0, 200)}`, 'INVALID_ARGUMENT');
