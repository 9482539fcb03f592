import { maskMessage } from '../../analyzers/errors/mask.ts';
import { coverageNotes } from '../../cycle/coverage-notes.ts';
import type { Logger } from '../../logging.ts';
import type { ProposalStore, ProposalSummary } from '../../ports/store.ts';
import type { EndpointSeriesPoint, EndpointStats, ErrorMessageCount, TelemetryWarehouse, TimeWindow } from '../../ports/warehouse.ts';
import { computeMetrics, type MetricsReport } from '../../proposals/metrics.ts';

const DAY_MS = 86_400_000;
export const FUNNEL_WEEKS = 13;
export const LATENCY_DAYS = 30;
export const ERROR_DAYS = 14;
const TOP_ENDPOINTS = 5;
const MAX_CHARTED_ENDPOINTS = 8;
const ERROR_GROUPS = 6;
/** Per-day cap on distinct messages fetched: the top of each day, not every rare one. */
const ERROR_CAP_PER_DAY = 200;

/** One week of filed proposals, by where each one stands now, and what writing them cost. */
export interface WeekBucket {
  start: Date;
  pending: number;
  /** approved, executing or failed: approved, not (yet) in production. */
  approved: number;
  implemented: number;
  rejected: number;
  rolledBack: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface EndpointTrend {
  endpoint: string;
  calls: number;
  p95Ms: number;
  points: { t: Date; v: number }[];
  proposals: { id: string; title: string; createdAt: Date; status: string }[];
}

export interface ErrorGroupTrend {
  template: string;
  perDay: number[];
  total: number;
}

export interface TelemetryCharts {
  latencyWindow: TimeWindow;
  endpoints: EndpointTrend[];
  errorDays: Date[];
  errorGroups: ErrorGroupTrend[];
  /** Some day had more distinct messages than the cap: its rarer ones are not counted. */
  errorsCapped: boolean;
  /** The same notes as a cycle's report when the window holds no telemetry (rows, newest row, what to do). */
  notes: string[];
}

export interface ChartsData {
  report: MetricsReport;
  weeks: WeekBucket[];
  /** Proposals the weekly charts could read (terminal ones expire after the retention period). */
  scanned: number;
  telemetry: { charts: TelemetryCharts } | { note: string };
}

function startOfDay(t: Date): Date {
  return new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
}

export function weekBuckets(items: ProposalSummary[], now: Date, weeks = FUNNEL_WEEKS): WeekBucket[] {
  const end = startOfDay(now).getTime() + DAY_MS;
  const buckets: WeekBucket[] = Array.from({ length: weeks }, (_, i) => ({
    start: new Date(end - (weeks - i) * 7 * DAY_MS),
    pending: 0,
    approved: 0,
    implemented: 0,
    rejected: 0,
    rolledBack: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  }));
  for (const p of items) {
    const at = new Date(p.createdAt).getTime();
    const index = weeks - 1 - Math.floor((end - 1 - at) / (7 * DAY_MS));
    const b = buckets[index];
    if (!b || at >= end) continue;
    if (p.status === 'pending') b.pending += 1;
    else if (p.status === 'implemented') b.implemented += 1;
    else if (p.status === 'rejected') b.rejected += 1;
    else if (p.status === 'rolled_back') b.rolledBack += 1;
    else b.approved += 1;
    if (p.writerUsage) {
      b.inputTokens += p.writerUsage.inputTokens;
      b.outputTokens += p.writerUsage.outputTokens;
      b.costUsd += p.writerUsage.costUsd ?? 0;
    }
  }
  return buckets;
}

interface RawTelemetry {
  latencyWindow: TimeWindow;
  stats: EndpointStats[];
  series: EndpointSeriesPoint[];
  errorDays: Date[];
  errorsPerDay: { rows: ErrorMessageCount[]; capped: boolean }[];
  /** What the cycle reports say when the window holds no telemetry (coverageNotes). */
  notes: string[];
}

async function readTelemetry(warehouse: TelemetryWarehouse, now: Date, wanted: string[]): Promise<RawTelemetry> {
  const to = new Date(startOfDay(now).getTime() + DAY_MS);
  const latencyWindow = { from: new Date(to.getTime() - LATENCY_DAYS * DAY_MS), to };
  const stats = await warehouse.endpointStats(latencyWindow);
  const known = new Set(stats.map((s) => s.endpoint));
  const top = [...stats]
    .sort((a, b) => b.calls - a.calls)
    .slice(0, TOP_ENDPOINTS)
    .map((s) => s.endpoint);
  const endpoints = [...new Set([...top, ...wanted.filter((e) => known.has(e))])].slice(0, MAX_CHARTED_ENDPOINTS);
  const errorDays = Array.from({ length: ERROR_DAYS }, (_, i) => new Date(to.getTime() - (ERROR_DAYS - i) * DAY_MS));
  const [series, errorsPerDay, coverage] = await Promise.all([
    endpoints.length ? warehouse.endpointSeries(latencyWindow, 'day', endpoints) : Promise.resolve([]),
    Promise.all(
      errorDays.map(async (day) => {
        const result = await warehouse.errorMessages({ from: day, to: new Date(day.getTime() + DAY_MS) }, ERROR_CAP_PER_DAY);
        return { rows: result.rows, capped: result.capped };
      }),
    ),
    warehouse.coverage ? warehouse.coverage(latencyWindow) : Promise.resolve([]),
  ]);
  return {
    latencyWindow,
    stats: stats.filter((s) => endpoints.includes(s.endpoint)),
    series,
    errorDays,
    errorsPerDay,
    notes: coverageNotes(coverage, latencyWindow),
  };
}

function shape(raw: RawTelemetry, perfProposals: ProposalSummary[]): TelemetryCharts {
  const endpoints = [...raw.stats]
    .sort((a, b) => b.calls - a.calls)
    .map((s): EndpointTrend => ({
      endpoint: s.endpoint,
      calls: s.calls,
      p95Ms: s.p95Ms,
      points: raw.series.filter((p) => p.endpoint === s.endpoint).map((p) => ({ t: p.bucketStart, v: p.p95Ms })),
      proposals: perfProposals
        .filter((p) => p.subject?.endpoint === s.endpoint)
        .map((p) => ({ id: p.id, title: p.title, createdAt: new Date(p.createdAt), status: p.status })),
    }));
  // Messages differing only in ids, numbers and the like are one group (the error analyzer's masking).
  const groups = new Map<string, number[]>();
  raw.errorsPerDay.forEach((day, i) => {
    for (const row of day.rows) {
      const template = maskMessage(row.message);
      const counts = groups.get(template) ?? new Array<number>(raw.errorDays.length).fill(0);
      counts[i] = (counts[i] ?? 0) + row.count;
      groups.set(template, counts);
    }
  });
  const errorGroups = [...groups]
    .map(([template, perDay]) => ({ template, perDay, total: perDay.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || (a.template < b.template ? -1 : 1))
    .slice(0, ERROR_GROUPS);
  return {
    latencyWindow: raw.latencyWindow,
    endpoints,
    errorDays: raw.errorDays,
    errorGroups,
    errorsCapped: raw.errorsPerDay.some((d) => d.capped),
    notes: raw.notes,
  };
}

export interface ChartsDataSource {
  read(now: Date): Promise<ChartsData>;
}

/**
 * Reads what the charts page shows. Telemetry is optional and may be slow (BigQuery, or DuckDB
 * loading a sample on first use): it gets `timeoutMs`, after which the page renders the store-backed
 * charts with a note while the read goes on; its result is kept for `cacheMs` so reloads are cheap
 * and do not start a warehouse query each.
 */
export function createChartsDataSource(deps: {
  store: ProposalStore;
  warehouse?: () => Promise<TelemetryWarehouse | null>;
  logger: Logger;
  timeoutMs?: number;
  cacheMs?: number;
}): ChartsDataSource {
  const timeoutMs = deps.timeoutMs ?? 8000;
  const cacheMs = deps.cacheMs ?? 5 * 60_000;
  let cached: { at: number; day: number; promise: Promise<RawTelemetry | null> } | undefined;

  function telemetry(now: Date, wanted: string[]): Promise<RawTelemetry | null> {
    const day = startOfDay(now).getTime();
    if (cached && cached.day === day && now.getTime() - cached.at < cacheMs) return cached.promise;
    const provider = deps.warehouse;
    const promise = provider ? provider().then((w) => (w ? readTelemetry(w, now, wanted) : null)) : Promise.resolve(null);
    const entry = { at: now.getTime(), day, promise };
    cached = entry;
    // A failed read is not kept: the next page load tries again.
    promise.catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'dashboard: telemetry for the charts could not be read');
      if (cached === entry) cached = undefined;
    });
    return promise;
  }

  return {
    async read(now) {
      const [report, listed] = await Promise.all([computeMetrics(deps.store, 10), deps.store.list({ limit: 500, offset: 0 })]);
      const perf = listed.items.filter((p) => p.type === 'performance' && p.subject?.endpoint);
      const base = { report, weeks: weekBuckets(listed.items, now), scanned: listed.items.length };
      if (!deps.warehouse) return { ...base, telemetry: { note: 'No telemetry warehouse is connected to the dashboard.' } };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      try {
        const raw = await Promise.race([telemetry(now, [...new Set(perf.map((p) => p.subject!.endpoint!))]), timeout]);
        if (raw === 'timeout')
          return { ...base, telemetry: { note: 'Telemetry is still loading; reload in a moment for latency and error trends.' } };
        if (!raw) return { ...base, telemetry: { note: 'No telemetry warehouse is configured.' } };
        return { ...base, telemetry: { charts: shape(raw, perf) } };
      } catch {
        return {
          ...base,
          telemetry: { note: 'Telemetry could not be read just now (see the service log); the charts from the proposal store are below.' },
        };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
