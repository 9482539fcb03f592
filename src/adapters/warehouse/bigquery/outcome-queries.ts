import type { Deployment } from '../../../domain/deployment.ts';
import type { MatchedInteractionCount } from '../../../ports/warehouse.ts';
import type { WarehouseTables } from './identifiers.ts';
import type { ResultRow } from './job-runner.ts';
import { dateCell, nullableTextCell, numberCell, textCell } from './row-values.ts';

/**
 * The reads behind before/after outcomes, in the conventions of telemetry-queries.ts: values only as
 * named parameters (@from, @to, @pattern), each query filtered on its partition column, only the
 * columns it needs. The interactions' prefix filter is RE2 (adapters/warehouse/prefix-pattern.ts),
 * BigQuery's own regular expressions, so it selects what DuckDB's does.
 */

export function interactionsMatchingSql(tables: WarehouseTables): string {
  return `SELECT
  message,
  outcome,
  COUNT(*) AS interactions
FROM ${tables.interactions}
WHERE timestamp >= @from AND timestamp < @to
  AND message IS NOT NULL
  AND REGEXP_CONTAINS(message, @pattern)
GROUP BY message, outcome
ORDER BY interactions DESC, message, outcome NULLS FIRST`;
}

/** The optional deploy markers' table; an id that repeats keeps its earliest row. */
export function deploymentsSql(tables: WarehouseTables): string {
  return `SELECT
  id,
  deployed_at,
  commit_sha,
  ref,
  environment,
  service
FROM ${tables.deployments}
WHERE deployed_at >= @from AND deployed_at < @to
  AND id IS NOT NULL
QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY deployed_at, commit_sha NULLS LAST) = 1
ORDER BY deployed_at, id`;
}

export function toMatchedInteraction(row: ResultRow): MatchedInteractionCount {
  return { message: textCell(row, 'message'), outcome: nullableTextCell(row, 'outcome'), count: numberCell(row, 'interactions') };
}

export function toDeployment(row: ResultRow): Deployment {
  const optional = {
    commit: nullableTextCell(row, 'commit_sha'),
    ref: nullableTextCell(row, 'ref'),
    environment: nullableTextCell(row, 'environment'),
    service: nullableTextCell(row, 'service'),
  };
  return {
    id: textCell(row, 'id'),
    deployedAt: dateCell(row, 'deployed_at').toISOString(),
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null && v !== '')),
    source: 'warehouse',
  };
}
