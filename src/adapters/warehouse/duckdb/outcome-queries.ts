import { TIMESTAMP, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import type { Deployment } from '../../../domain/deployment.ts';
import type { MatchedInteractionCount, TimeWindow } from '../../../ports/warehouse.ts';
import { prefixPattern } from '../prefix-pattern.ts';
import { queryRows, timestampParameter, toDate, toNumber } from './sql-statements.ts';

/** Interactions whose message has a word starting with one of the prefixes, counted per message and outcome. */
export async function interactionsMatching(
  connection: DuckDBConnection,
  window: TimeWindow,
  prefixes: readonly string[],
): Promise<MatchedInteractionCount[]> {
  if (!prefixes.length) return [];
  const rows = await queryRows(
    connection,
    `SELECT message, outcome, count(*) AS interactions
       FROM ai_learning.customer_interactions
      WHERE timestamp >= $1 AND timestamp < $2 AND message IS NOT NULL AND regexp_matches(message, $3)
      GROUP BY message, outcome
      ORDER BY interactions DESC, message, outcome NULLS FIRST`,
    [timestampParameter(window.from), timestampParameter(window.to), prefixPattern(prefixes)],
    [TIMESTAMP, TIMESTAMP, VARCHAR],
  );
  return rows.map((row) => ({
    message: String(row.message),
    outcome: row.outcome === null ? null : String(row.outcome),
    count: toNumber(row.interactions),
  }));
}

/** Deploys of the window, oldest first; an id that repeats keeps its earliest row. */
export async function deployments(connection: DuckDBConnection, window: TimeWindow): Promise<Deployment[]> {
  const rows = await queryRows(
    connection,
    `SELECT id, deployed_at, commit_sha, ref, environment, service
       FROM performance.deployments
      WHERE deployed_at >= $1 AND deployed_at < $2 AND id IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY id ORDER BY deployed_at, commit_sha NULLS LAST) = 1
      ORDER BY deployed_at, id`,
    [timestampParameter(window.from), timestampParameter(window.to)],
    [TIMESTAMP, TIMESTAMP],
  );
  return rows.map((row) => {
    const text = (value: unknown) => (value === null || value === undefined || value === '' ? undefined : String(value));
    const optional = { commit: text(row.commit_sha), ref: text(row.ref), environment: text(row.environment), service: text(row.service) };
    return {
      id: String(row.id),
      deployedAt: toDate(row.deployed_at).toISOString(),
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
      source: 'warehouse' as const,
    };
  });
}
