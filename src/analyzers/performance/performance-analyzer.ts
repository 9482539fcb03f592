import type { Finding } from '../../domain/finding.ts';
import type { EvidenceItem, Priority } from '../../domain/proposal.ts';
import type { Analyzer, AnalysisContext } from '../../ports/analyzer.ts';
import type { EndpointStats, TelemetryWarehouse } from '../../ports/warehouse.ts';
import { dailyRegressions } from './daily-regressions.ts';
import { isReadOnly } from './endpoint.ts';
import { HOURLY_DEFAULTS, hourlyRegressions } from './hourly-regressions.ts';
import { locateHandlers, type HandlerLocation, type SourceFiles } from './handler-locator.ts';

export interface PerformanceSettings {
  performanceThresholdMs: number;
  /** Days of daily p95 the regression detector looks back over, ending where the cycle's window ends. */
  regressionLookbackDays?: number;
  /** A shift smaller than this fraction of the old level is not a regression worth a proposal. */
  minRegressionRelativeChange?: number;
  /** Hours with fewer calls are left out of the hourly regression detector (default 5). */
  hourlyMinCalls?: number;
  /** Days before an onset that set the hourly detector's per-hour-of-day baseline (default 14). */
  hourlyBaselineDays?: number;
  /** Oldest onset the hourly detector looks for, in hours (default 168); older ones are the daily detector's. */
  hourlyMaxHours?: number;
  /** Below this median, a cache saves too little to propose. */
  cacheMinP50Ms?: number;
}

export interface PerformanceAnalyzerDeps {
  warehouse: TelemetryWarehouse;
  /** The target repository, to point each finding at its handler; optional. */
  repo?: SourceFiles;
  settings: PerformanceSettings;
}

const DAY = 24 * 3600 * 1000;
const round = (n: number) => Math.round(n);

/**
 * Finds slow endpoints (p95 over the threshold, ranked by excess latency × calls), latency
 * regressions (a shift in the hourly p95 against the same hours of preceding days, or a change point
 * in the daily p95 series for older ones: when it began and by how much), and caching
 * candidates (busy, read-only, stable, not already slow). Each finding names the handler in the
 * target repository when one is registered there. In a 'regression-watch' cycle (hourly) it runs the
 * hourly regression detector alone.
 */
export function createPerformanceAnalyzer(deps: PerformanceAnalyzerDeps): Analyzer {
  const threshold = deps.settings.performanceThresholdMs;
  const lookbackDays = deps.settings.regressionLookbackDays ?? 30;
  const minRelative = deps.settings.minRegressionRelativeChange ?? 0.25;
  const cacheMinP50 = deps.settings.cacheMinP50Ms ?? 100;

  async function withHandler(finding: Finding, endpoint: string, repo: SourceFiles | undefined): Promise<Finding> {
    const handlers: HandlerLocation[] = repo ? await locateHandlers(repo, endpoint) : [];
    const top = handlers[0];
    if (!top) return { ...finding, subject: { endpoint }, details: { ...finding.details, endpoint } };
    return {
      ...finding,
      evidence: [...finding.evidence, { label: 'handler', value: `${top.file}:${top.line}` }],
      subject: { endpoint, files: [...new Set(handlers.map((h) => h.file))] },
      details: { ...finding.details, endpoint, handlers },
    };
  }

  type Found = [endpoint: string, finding: Finding];

  // Magnitudes are per day, so a daily and a weekly cycle measure one finding on the same scale.
  function slowEndpoints(stats: EndpointStats[], windowDays: number): Found[] {
    return stats
      .filter((s) => s.p95Ms > threshold)
      .map((s) => ({ s, impact: (s.p95Ms - threshold) * s.calls }))
      .sort((a, b) => b.impact - a.impact)
      .map(({ s, impact }): Found => [
        s.endpoint,
        {
          analyzer: 'performance',
          type: 'performance' as const,
          fingerprint: `performance:slow:${s.endpoint}`,
          title: `Speed up ${s.endpoint} (p95 ${round(s.p95Ms)} ms)`,
          summary: `${s.endpoint} answered ${s.calls.toLocaleString('en-US')} calls with a p95 of ${round(s.p95Ms)} ms, ${round(s.p95Ms - threshold)} ms over the ${threshold} ms threshold.`,
          evidence: [...latencyEvidence(s), { label: 'excess × calls', value: round(impact / 1000), unit: 's' }],
          priority: slowPriority(s.p95Ms / threshold),
          magnitude: round(impact / windowDays),
          details: { kind: 'slow', stats: s },
        },
      ]);
  }

  const dailySettings = { performanceThresholdMs: threshold, lookbackDays, minRelativeChange: minRelative };
  const hourlySettings = {
    performanceThresholdMs: threshold,
    minRelativeChange: minRelative,
    minCallsPerHour: deps.settings.hourlyMinCalls ?? HOURLY_DEFAULTS.minCallsPerHour,
    baselineDays: deps.settings.hourlyBaselineDays ?? HOURLY_DEFAULTS.baselineDays,
    maxHours: deps.settings.hourlyMaxHours ?? HOURLY_DEFAULTS.maxHours,
  };

  // The hourly detector reads up to the last complete hour before asOf, past the end of a daily
  // window: the point is to see today's regression today. Where both detectors see one, the hourly
  // finding (onset to the hour) is kept; the fingerprint is the same, so it is one proposal either way.
  async function regressions(context: AnalysisContext, withDaily: boolean): Promise<Found[]> {
    const hourly = await hourlyRegressions(deps.warehouse, context.asOf, hourlySettings);
    const daily = withDaily ? await dailyRegressions(deps.warehouse, context.window.to, dailySettings) : new Map<string, Finding>();
    return [...new Set([...hourly.keys(), ...daily.keys()])]
      .sort((a, b) => a.localeCompare(b))
      .map((endpoint): Found => [endpoint, (hourly.get(endpoint) ?? daily.get(endpoint))!]);
  }

  function cachingCandidates(stats: EndpointStats[], windowDays: number): Found[] {
    const busy = quantile(
      stats.map((s) => s.calls),
      0.75,
    );
    return stats
      .filter(
        (s) =>
          isReadOnly(s.endpoint) &&
          s.calls >= busy &&
          s.p95Ms <= threshold &&
          s.p50Ms >= cacheMinP50 &&
          s.errorRate < 0.01 &&
          s.p95Ms <= 3 * s.p50Ms,
      )
      .map((s): Found => [
        s.endpoint,
        {
          analyzer: 'performance',
          type: 'performance' as const,
          fingerprint: `performance:cache:${s.endpoint}`,
          title: `Cache ${s.endpoint}`,
          summary: `${s.endpoint} is read-only, busy (${s.calls.toLocaleString('en-US')} calls) and steady (p95 ${round(s.p95Ms)} ms vs median ${round(s.p50Ms)} ms): a cache would save most of its ${round(s.p50Ms)} ms median per call.`,
          evidence: [...latencyEvidence(s), { label: 'time spent', value: round((s.meanMs * s.calls) / 1000), unit: 's' }],
          priority: 'low' as const,
          magnitude: round((s.p50Ms * s.calls) / windowDays),
          details: { kind: 'cache', stats: s },
        },
      ]);
  }

  return {
    name: 'performance',
    cycles: ['daily', 'weekly', 'regression-watch'],
    async analyze(context) {
      // The hourly watch looks for fresh regressions only; slowness and caches wait for the daily cycle.
      if (context.cycle === 'regression-watch') return locate(await regressions(context, false));
      const stats = await deps.warehouse.endpointStats(context.window);
      const windowDays = Math.max(1 / 24, (context.window.to.getTime() - context.window.from.getTime()) / DAY);
      return locate([...slowEndpoints(stats, windowDays), ...(await regressions(context, true)), ...cachingCandidates(stats, windowDays)]);
    },
  };

  async function locate(found: Found[]): Promise<Finding[]> {
    // One listing and one read per file for the whole analysis, however many findings look up handlers.
    const repo = deps.repo ? cachedSourceFiles(deps.repo) : undefined;
    const located: Finding[] = [];
    for (const [endpoint, finding] of found) located.push(await withHandler(finding, endpoint, repo));
    return located;
  }
}

function cachedSourceFiles(repo: SourceFiles): SourceFiles {
  let files: Promise<string[]> | undefined;
  const contents = new Map<string, Promise<string | null>>();
  return {
    listFiles: () => (files ??= repo.listFiles()),
    readFile: (path) => {
      let text = contents.get(path);
      if (!text) contents.set(path, (text = repo.readFile(path)));
      return text;
    },
  };
}

function latencyEvidence(s: EndpointStats): EvidenceItem[] {
  return [
    { label: 'endpoint', value: s.endpoint },
    { label: 'calls', value: s.calls },
    { label: 'p50', value: round(s.p50Ms), unit: 'ms' },
    { label: 'p95', value: round(s.p95Ms), unit: 'ms' },
    { label: 'p99', value: round(s.p99Ms), unit: 'ms' },
    { label: 'error rate', value: Math.round(s.errorRate * 10000) / 100, unit: '%' },
  ];
}

function slowPriority(ratio: number): Priority {
  if (ratio >= 3) return 'critical';
  if (ratio >= 1.5) return 'high';
  return 'medium';
}

function quantile(values: number[], q: number): number {
  if (!values.length) return Infinity;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
