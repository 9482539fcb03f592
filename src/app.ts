import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from './config.ts';
import type { Logger } from './logging.ts';
import type { Analyzer } from './ports/analyzer.ts';
import type { ProposalNotifier } from './ports/notifier.ts';
import type { ProposalStore } from './ports/store.ts';
import type { ProposalWriter } from './ports/writer.ts';
import type { TelemetryWarehouse } from './ports/warehouse.ts';
import { createDecisions, type Decisions } from './proposals/decisions.ts';
import { createRevisions, type Revisions } from './proposals/revisions.ts';
import type { CycleRunner } from './cycle/run-cycle.ts';
import { createCycleRunner } from './cycle/cycle-runner.ts';
import type { SlackSurface } from './adapters/slack/surface.ts';
import { createExecutorFromConfig, type GitExecutor } from './adapters/executor/index.ts';
import { createPrometheusMetrics, type PrometheusMetrics } from './adapters/metrics/prometheus-metrics.ts';
import { verifyPerformanceGains } from './analyzers/performance/verify-gains.ts';
import { measureOutcomes } from './proposals/outcomes/measure-outcomes.ts';
import { tellOutcome } from './proposals/notify-all.ts';
import { BUILT_IN_ANALYZERS } from './analyzers/built-in.ts';
import { buildStores, type Coordination } from './composition/stores.ts';
import { buildWriter } from './composition/writer.ts';
import { buildSlack } from './composition/slack.ts';
import { chartImageKey, createChartImageLinks, type ChartImageLinks } from './adapters/web/chart-image-links.ts';
import { buildPullRequests, type PullRequestParts } from './composition/pull-requests.ts';
import { demoRepoFirst } from './composition/demo-executor.ts';
import { describeAssistant, describeExecutor, describeWarehouse, type PartMode } from './composition/part-modes.ts';
import type { Telemetry } from './telemetry.ts';

export type { PartMode };

/** Every part of the service, built from config: what the server, the CLI and the scheduler use. */
export interface ImprovementLoop {
  config: Config;
  /** For request handlers: answers within seconds even when Redis is down. */
  requestStore: ProposalStore;
  /** For cycles, schedules and execution: waits out short Redis outages. */
  jobStore: ProposalStore;
  decisions: Decisions;
  /** The same decisions on the job store, for schedules and execution. */
  jobDecisions: Decisions;
  /** `/improve revise`: Claude revises a patch, tried before it replaces anything (docs/PULL_REQUESTS.md). */
  revisions: Revisions;
  /** Names of the analyzers a cycle runs (built-in and extra). */
  analyzerNames: string[];
  writer: ProposalWriter;
  modes: PartMode[];
  /** Prometheus metrics: store figures at scrape time, this process's cycle timings. */
  metrics: PrometheusMetrics;
  /** Slot claims and job records for the scheduler: in Redis with the Redis store, in files under DATA_DIR otherwise. */
  coordination: Coordination;
  /** The git executor (worktrees of the target repository); absent when EXECUTION_ENABLED=false. */
  executor?: GitExecutor;
  /**
   * Slack (or, without tokens, the outbox of Block Kit files): its notifier follows every decision
   * made in this process; its handler and connection are started by the server only.
   */
  slack: SlackSurface;
  /** Pull requests on GitHub for implemented branches; absent without GITHUB_TOKEN. */
  pullRequests?: PullRequestParts;
  /** The patient Redis client of the job store, for adapters that keep their own keys; absent on the embedded store. */
  redis?: Redis;
  /** The telemetry warehouse (built on first use); null when the built-in analyzers are off. */
  warehouse(): Promise<TelemetryWarehouse | null>;
  /** Builds the warehouse and the analyzers now (generating the bundled sample if needed) instead of at the first cycle. */
  prepare(): Promise<void>;
  /** Runs a cycle against the job store; writes its report unless it is a dry run. One at a time per process. */
  runCycle: CycleRunner;
  close(): Promise<void>;
}

/**
 * The composition root's library half: builds every adapter from config. `main.ts` (the server) and
 * the CLI both call it, so they always agree on which store, warehouse and writer they use.
 */
export interface AppExtras {
  /** Analyzers added to the built-in ones (for embedding the loop, and for tests). */
  analyzers?: Analyzer[];
  /** false: run only the extra analyzers, and build no warehouse. */
  builtInAnalyzers?: boolean;
}

export async function buildApp(config: Config, logger: Logger, extras: AppExtras = {}): Promise<ImprovementLoop> {
  await mkdir(config.dataDir, { recursive: true });
  const stores = await buildStores(config, logger);
  const extraAnalyzers = extras.analyzers ?? [];
  const withBuiltIns = extras.builtInAnalyzers !== false;
  // DuckDB, BigQuery and the analyzers load on first need: `proposals list` starts without them.
  let telemetry: Promise<Telemetry | null> | undefined;
  const loadTelemetry = () =>
    (telemetry ??= withBuiltIns
      ? import('./telemetry.ts')
          .then(({ buildTelemetry }) => buildTelemetry(config, stores.job, logger))
          .catch((error: unknown) => {
            telemetry = undefined; // a failed start (warehouse down, repo missing) is tried again next time
            throw error;
          })
      : Promise.resolve(null));
  const {
    writer,
    template,
    mode: writerMode,
  } = await buildWriter(config.llm, logger, async (file) => (await loadTelemetry())?.repo.readFile(file) ?? null);
  // The executor records its steps without waiting for them; close() waits, or the warehouse would be
  // closed under the last ones (a CLI `proposals execute` closes the app as soon as the decision returns).
  const recordings = new Set<Promise<unknown>>();
  // Filled below: the Slack surface needs the decisions, and the decisions tell its notifier.
  const notifiers: ProposalNotifier[] = [];
  const gitExecutor = await createExecutorFromConfig(config, {
    repoPath: config.repoPath,
    // Executions last minutes: they write through the patient client, which waits out a Redis blip.
    store: stores.job,
    logger: logger.child({ component: 'executor' }),
    notifiers,
    recordExecution: (record) => {
      const recording = loadTelemetry().then((built) => built?.warehouse.recordExecution(record));
      const forget = () => void recordings.delete(recording);
      recordings.add(recording);
      recording.then(forget, forget);
      return recording;
    },
    lockStore: stores.redis ? { redis: stores.redis, keyPrefix: config.redis.keys.service } : { dir: path.join(config.dataDir, 'locks') },
  });
  const executor = gitExecutor && !config.targetRepo ? demoRepoFirst(gitExecutor, config.repoPath) : gitExecutor;
  const withExecutor = executor ? { executor } : {};
  const decisions = createDecisions({ store: stores.request, notifiers, logger, ...withExecutor });
  const jobDecisions = createDecisions({ store: stores.job, notifiers, logger, ...withExecutor });
  // Revisions take minutes (Claude, then the tests): they write through the patient job store.
  let pullRequests: PullRequestParts | undefined;
  const revisions = createRevisions({
    store: stores.job,
    writer,
    ...withExecutor,
    notifiers,
    logger: logger.child({ component: 'revisions' }),
    pullRequests: () => pullRequests?.revising,
  });
  const metrics = createPrometheusMetrics(stores.request);
  const cycles = createCycleRunner({
    writer,
    dryRunWriter: template,
    autoExecute: config.analysis.autoExecute,
    reportsDir: path.join(config.dataDir, 'reports'),
    onReport: (report) => metrics.observeCycle(report),
    async cycleDeps() {
      const built = await loadTelemetry();
      return {
        store: stores.job,
        analyzers: [...(built?.analyzers ?? []), ...extraAnalyzers],
        ...(built?.skipped.length ? { skipped: built.skipped } : {}),
        ...(built?.warehouse.coverage ? { coverage: built.warehouse.coverage.bind(built.warehouse) } : {}),
        decisions: jobDecisions,
        settings: config.analysis,
        logger,
        notifiers,
        ...(executor ? { tryPatch: (patch, declared) => executor.tryPatch(patch, declared) } : {}),
        ...(built
          ? {
              verifyGains: (now: Date) => verifyPerformanceGains({ store: stores.job, warehouse: built.warehouse, now }),
              measureOutcomes: (now: Date) =>
                measureOutcomes({
                  store: stores.job,
                  warehouse: built.warehouse,
                  now,
                  settings: config.outcomes,
                  onMeasured: (proposal, outcome) => tellOutcome(notifiers, proposal, outcome, logger),
                }),
            }
          : {}),
      };
    },
  });
  const slack = await buildSlack({
    config,
    stores,
    decisions,
    revisions,
    runCycle: cycles.run,
    metrics,
    logger,
    telemetry: loadTelemetry,
    ...(await chartImagesOf(config)),
  });
  notifiers.push(slack.notifier);
  pullRequests = await buildPullRequests({ config, stores, notifiers, revisions, logger });
  if (pullRequests) notifiers.push(pullRequests.opener);
  const modes: PartMode[] = [
    { part: 'store', mode: stores.description },
    { part: 'warehouse', mode: withBuiltIns ? describeWarehouse(config) : 'none (built-in analyzers off)' },
    { part: 'repository', mode: config.targetRepo ?? `demo repository at ${config.repoPath}` },
    { part: 'llm', mode: writerMode },
    { part: 'slack', mode: slack.mode },
    // Only beside a Slack that is on: the assistant has no other surface.
    ...(config.slack ? [{ part: 'assistant', mode: describeAssistant(config) }] : []),
    { part: 'executor', mode: executor ? describeExecutor(config, config.repoPath) : 'off (EXECUTION_ENABLED is false)' },
    { part: 'scheduler', mode: config.enableSelfImprovement ? 'on' : 'off (ENABLE_SELF_IMPROVEMENT is not true)' },
    ...(pullRequests ? [{ part: 'code host', mode: pullRequests.mode }] : []),
  ];

  return {
    config,
    requestStore: stores.request,
    jobStore: stores.job,
    decisions,
    jobDecisions,
    revisions,
    analyzerNames: [...(withBuiltIns ? BUILT_IN_ANALYZERS : []), ...extraAnalyzers.map((a) => a.name)],
    writer,
    modes,
    metrics,
    coordination: stores.coordination,
    slack,
    ...withExecutor,
    ...(pullRequests ? { pullRequests } : {}),
    ...(stores.redis ? { redis: stores.redis } : {}),
    warehouse: () => loadTelemetry().then((built) => built?.warehouse ?? null),
    async prepare() {
      const built = await loadTelemetry();
      if (!built) return;
      for (const mode of modes) {
        if (mode.part === 'warehouse') mode.mode = built.modes.warehouse;
        if (mode.part === 'repository') mode.mode = built.modes.repository;
      }
    },
    runCycle: cycles.run,
    async close() {
      // A cycle still filing (a POST /analyze cut off at shutdown) finishes before its store closes.
      await cycles.inFlight()?.catch(() => undefined);
      // Executions answered with 202 finish (or fail and are recorded) before their store closes.
      await Promise.all([decisions.settled(), jobDecisions.settled(), revisions.settled()]);
      await Promise.allSettled([...recordings]);
      const built = await telemetry?.catch(() => null);
      await Promise.allSettled([stores.close(), built?.warehouse.close()]);
    },
  };
}

/** Signed chart image links for Slack, keyed from the API tokens; none without PUBLIC_URL. */
async function chartImagesOf(config: Config): Promise<{ chartImages?: ChartImageLinks }> {
  if (!config.publicUrl) return {};
  const { tokens } = await resolveApiTokens(config);
  return { chartImages: createChartImageLinks({ publicUrl: config.publicUrl, key: chartImageKey(tokens) }) };
}

/**
 * The bearer tokens the API accepts. Without API_TOKENS a random token is made once and kept in
 * DATA_DIR/api-token (mode 0600), so the local API is never open; its value is never logged.
 */
export async function resolveApiTokens(config: Config): Promise<{ tokens: string[]; source: string }> {
  if (config.apiTokens.length) return { tokens: config.apiTokens, source: 'API_TOKENS' };
  const file = path.join(config.dataDir, 'api-token');
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved) return { tokens: [saved], source: file };
  } catch {
    // Not made yet: make it below.
  }
  const token = randomBytes(24).toString('base64url');
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { tokens: [token], source: file };
}
