import type {
  AgentExecutionRecord,
  Capped,
  EndpointSeriesPoint,
  EndpointStats,
  ErrorMessageCount,
  InteractionText,
  InteractionTypeStats,
  MatchedInteractionCount,
  OptimizationRecord,
  TelemetryWarehouse,
  TimeWindow,
} from '../../src/ports/warehouse.ts';
import { cappedRows } from '../../src/ports/warehouse.ts';
import type { Deployment } from '../../src/domain/deployment.ts';
import { prefixPattern } from '../../src/adapters/warehouse/prefix-pattern.ts';

/**
 * An in-memory TelemetryWarehouse over arrays of rows: the reference implementation of the port's
 * aggregates, for analyzer tests. It is test data, not a mock: every method computes what the SQL
 * adapters compute, with the same conventions, so an analyzer that passes on it sees the same numbers
 * from DuckDB or BigQuery.
 *
 * The conventions (the SQL adapters must follow them too):
 * - windows are [from, to): `timestamp >= from AND timestamp < to`;
 * - percentiles are exact and continuous, DuckDB's `quantile_cont`: position h = (n − 1)·q in the
 *   sorted values, linear interpolation between the neighbours of h;
 * - means ignore nulls (SQL AVG); a group with no non-null value has a null mean (0 for errorRate);
 * - buckets are `date_trunc('hour' | 'day', timestamp)` in UTC;
 * - a null outcome is counted under "unknown" (`COALESCE(outcome, 'unknown')`);
 * - error messages group by (message, endpoint); `stack` is the latest occurrence's (`arg_max`);
 * - orders: endpoint stats and series by endpoint (then bucket); error messages by count desc, then
 *   last seen desc, message, endpoint; interaction stats by interactions desc, then type; texts
 *   newest first, then customer id, then message. `cap` keeps the first `cap` rows of that order;
 *   matching interactions by count desc, then message, then outcome (null first); deployments by
 *   deploy time, then id.
 */

export interface MetricRow {
  endpoint: string;
  responseTimeMs: number;
  errorRate?: number | null;
  timestamp: Date;
}

export interface ErrorLogRow {
  message: string;
  stack?: string | null;
  endpoint?: string | null;
  timestamp: Date;
}

export interface InteractionRow {
  customerId: string;
  interactionType: string;
  message: string;
  response?: string | null;
  outcome?: string | null;
  sentiment?: number | null;
  metadata?: Record<string, unknown>;
  timestamp: Date;
}

export interface MemoryWarehouseRows {
  metrics?: MetricRow[];
  errors?: ErrorLogRow[];
  interactions?: InteractionRow[];
  /** The optional deployments table; its rows come back with source 'warehouse'. */
  deployments?: Omit<Deployment, 'source'>[];
}

export interface MemoryWarehouse extends TelemetryWarehouse {
  /** What recordExecution / recordOptimization wrote, in order. */
  readonly executions: AgentExecutionRecord[];
  readonly optimizations: OptimizationRecord[];
}

/** DuckDB's quantile_cont on already sorted values; NaN for no values. */
export function quantileCont(sorted: readonly number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.ceil(h);
  return sorted[lower]! + (h - lower) * (sorted[upper]! - sorted[lower]!);
}

export function createMemoryWarehouse(rows: MemoryWarehouseRows = {}): MemoryWarehouse {
  const metrics = rows.metrics ?? [];
  const errors = rows.errors ?? [];
  const interactions = rows.interactions ?? [];
  const deployments = rows.deployments ?? [];
  const executions: AgentExecutionRecord[] = [];
  const optimizations: OptimizationRecord[] = [];

  return {
    kind: 'duckdb',
    executions,
    optimizations,
    describe() {
      return `memory (${metrics.length} metric rows, ${errors.length} error rows, ${interactions.length} interactions)`;
    },

    async endpointStats(window) {
      return [...groupBy(within(metrics, window), (r) => r.endpoint)]
        .sort(([a], [b]) => compare(a, b))
        .map(([endpoint, group]): EndpointStats => {
          const times = group.map((r) => r.responseTimeMs).sort((a, b) => a - b);
          return {
            endpoint,
            calls: group.length,
            meanMs: mean(times)!,
            p50Ms: quantileCont(times, 0.5),
            p95Ms: quantileCont(times, 0.95),
            p99Ms: quantileCont(times, 0.99),
            errorRate: mean(group.map((r) => r.errorRate)) ?? 0,
          };
        });
    },

    async endpointSeries(window, bucket, endpoints) {
      const wanted = new Set(endpoints);
      const selected = within(metrics, window).filter((r) => !wanted.size || wanted.has(r.endpoint));
      return [...groupBy(selected, (r) => `${r.endpoint}\u0000${truncate(r.timestamp, bucket).toISOString()}`)]
        .map(([, group]): EndpointSeriesPoint => ({
          endpoint: group[0]!.endpoint,
          bucketStart: truncate(group[0]!.timestamp, bucket),
          calls: group.length,
          p95Ms: quantileCont(
            group.map((r) => r.responseTimeMs).sort((a, b) => a - b),
            0.95,
          ),
        }))
        .sort((a, b) => compare(a.endpoint, b.endpoint) || a.bucketStart.getTime() - b.bucketStart.getTime());
    },

    async errorMessages(window, cap) {
      const groups = [...groupBy(within(errors, window), (r) => `${r.message}\u0000${r.endpoint ?? ''}\u0000${r.endpoint == null}`)].map(
        ([, group]): ErrorMessageCount => {
          const latest = group.reduce((a, b) => (b.timestamp > a.timestamp ? b : a));
          const earliest = group.reduce((a, b) => (b.timestamp < a.timestamp ? b : a));
          return {
            message: latest.message,
            stack: latest.stack ?? null,
            endpoint: latest.endpoint ?? null,
            count: group.length,
            firstSeen: earliest.timestamp,
            lastSeen: latest.timestamp,
          };
        },
      );
      groups.sort(
        (a, b) =>
          b.count - a.count ||
          b.lastSeen.getTime() - a.lastSeen.getTime() ||
          compare(a.message, b.message) ||
          compare(a.endpoint ?? '', b.endpoint ?? ''),
      );
      return capRows(groups, cap);
    },

    async interactionStats(window) {
      return [...groupBy(within(interactions, window), (r) => r.interactionType)]
        .map(([interactionType, group]): InteractionTypeStats => {
          const outcomes: Record<string, number> = {};
          for (const r of group) outcomes[r.outcome ?? 'unknown'] = (outcomes[r.outcome ?? 'unknown'] ?? 0) + 1;
          return { interactionType, interactions: group.length, meanSentiment: mean(group.map((r) => r.sentiment)), outcomes };
        })
        .sort((a, b) => b.interactions - a.interactions || compare(a.interactionType, b.interactionType));
    },

    async interactionTexts(window, cap) {
      const texts = within(interactions, window)
        .map((r): InteractionText => ({
          customerId: r.customerId,
          interactionType: r.interactionType,
          message: r.message,
          response: r.response ?? null,
          outcome: r.outcome ?? null,
          sentiment: r.sentiment ?? null,
          metadata: r.metadata ?? {},
          timestamp: r.timestamp,
        }))
        .sort(
          (a, b) => b.timestamp.getTime() - a.timestamp.getTime() || compare(a.customerId, b.customerId) || compare(a.message, b.message),
        );
      return capRows(texts, cap);
    },

    async interactionsMatching(window, prefixes) {
      if (!prefixes.length) return [];
      // The RE2 pattern as a JavaScript RegExp: the inline (?i) becomes the i flag.
      const pattern = new RegExp(prefixPattern(prefixes).replace(/^\(\?i\)/, ''), 'i');
      const selected = within(interactions, window).filter((r) => pattern.test(r.message));
      return [...groupBy(selected, (r) => JSON.stringify([r.message, r.outcome ?? null]))]
        .map(([, group]): MatchedInteractionCount => ({
          message: group[0]!.message,
          outcome: group[0]!.outcome ?? null,
          count: group.length,
        }))
        .sort((a, b) => b.count - a.count || compare(a.message, b.message) || nullsFirst(a.outcome, b.outcome));
    },

    async deployments(window) {
      return deployments
        .filter((d) => Date.parse(d.deployedAt) >= window.from.getTime() && Date.parse(d.deployedAt) < window.to.getTime())
        .sort((a, b) => Date.parse(a.deployedAt) - Date.parse(b.deployedAt) || compare(a.id, b.id))
        .map((d) => ({ ...d, source: 'warehouse' as const }));
    },

    async recordExecution(record) {
      executions.push(record);
    },
    async recordOptimization(record) {
      optimizations.push(record);
    },
    async ping() {},
    async close() {},
  };
}

function within<T extends { timestamp: Date }>(rows: readonly T[], window: TimeWindow): T[] {
  return rows.filter((r) => r.timestamp >= window.from && r.timestamp < window.to);
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

function mean(values: readonly (number | null | undefined)[]): number | null {
  const present = values.filter((v): v is number => v !== null && v !== undefined);
  return present.length ? present.reduce((sum, v) => sum + v, 0) / present.length : null;
}

function truncate(t: Date, bucket: 'hour' | 'day'): Date {
  const d = new Date(t);
  if (bucket === 'day') d.setUTCHours(0, 0, 0, 0);
  else d.setUTCMinutes(0, 0, 0);
  return d;
}

function capRows<T>(rows: T[], cap: number): Capped<T> {
  return cappedRows(rows, rows.length, cap);
}

function nullsFirst(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return compare(a, b);
}

// Code-point order, like SQL's default collation for plain strings; localeCompare would differ.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
