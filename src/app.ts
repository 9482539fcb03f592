import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from './config.ts';
import type { Logger } from './logging.ts';
import type { Analyzer } from './ports/analyzer.ts';
import type { ProposalStore } from './ports/store.ts';
import type { ProposalWriter } from './ports/writer.ts';
import type { TelemetryWarehouse } from './ports/warehouse.ts';
import { createTemplateWriter } from './adapters/llm/offline/template-writer.ts';
import { createEmbeddedStore } from './adapters/store/embedded/embedded-store.ts';
import { createRedisStore } from './adapters/store/redis/redis-store.ts';
import { createFailFastRedis, createPatientRedis, whenReady } from './adapters/store/redis/client.ts';
import type { Redis } from 'ioredis';
import { createFileJobRecords } from './schedule/file-job-records.ts';
import { createFileSlotLock } from './schedule/file-slot-lock.ts';
import { createRedisJobRecords, type JobRecords } from './schedule/job-records.ts';
import { createRedisSlotLock } from './schedule/redis-slot-lock.ts';
import type { SlotLock } from './schedule/slot-lock.ts';
import { createDecisions, type Decisions } from './proposals/decisions.ts';
import type { ProposalNotifier } from './ports/notifier.ts';
import type { SlackSurface, SlackSurfaceDeps } from './adapters/slack/slack-surface.ts';
import { createOutboxSurface } from './adapters/slack/outbox-surface.ts';
import { createRedisSlackState } from './adapters/slack/redis-slack-state.ts';
import { createFileSlackState } from './adapters/slack/file-slack-state.ts';
import type { SlackStateStore } from './adapters/slack/slack-state.ts';
import { jobStatuses } from './scheduled-jobs.ts';
import { createExecutorFromConfig, probeIsolation, type GitExecutor } from './adapters/executor/index.ts';
import { createDemoRepo } from './demo/demo-repo.ts';
import { runCycle, type CycleRunner } from './cycle/run-cycle.ts';
import { CycleAlreadyRunning } from './domain/errors.ts';
import { writeCycleReport } from './cycle/report-files.ts';
import { createPrometheusMetrics, type PrometheusMetrics } from './adapters/metrics/prometheus-metrics.ts';
import { verifyPerformanceGains } from './analyzers/performance/verify-gains.ts';
import { BUILT_IN_ANALYZERS } from './analyzers/built-in.ts';
import type { Telemetry } from './telemetry.ts';

/** One line per part, printed at start: which mode each part runs in. */
export interface PartMode {
  part: string;
  mode: string;
}

export interface App {
  config: Config;
  /** For request handlers: answers within seconds even when Redis is down. */
  requestStore: ProposalStore;
  /** For cycles, schedules and execution: waits out short Redis outages. */
  jobStore: ProposalStore;
  decisions: Decisions;
  /** The same decisions on the job store, for schedules and execution. */
  jobDecisions: Decisions;
  /** Names of the analyzers a cycle runs (built-in and extra). */
  analyzerNames: string[];
  writer: ProposalWriter;
  modes: PartMode[];
  /** Prometheus metrics: store figures at scrape time, this process's cycle timings. */
  metrics: PrometheusMetrics;
  /** Slot claims and job records for the scheduler: in Redis with the Redis store, in files under DATA_DIR otherwise. */
  /** `records` for the scheduler (patient); `readRecords` for request handlers (fail-fast on Redis). */
  coordination: { lock: SlotLock; records: JobRecords; readRecords: JobRecords };
  /** The git executor (worktrees of the target repository); absent when EXECUTION_ENABLED=false. */
  executor?: GitExecutor;
  /**
   * Slack (or, without tokens, the outbox of Block Kit files): its notifier follows every decision
   * made in this process; its handler and connection are started by the server only.
   */
  slack: SlackSurface;
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

export async function buildApp(config: Config, logger: Logger, extras: AppExtras = {}): Promise<App> {
  await mkdir(config.dataDir, { recursive: true });
  const stores = await buildStores(config, logger);
  const template = createTemplateWriter();
  const writer: ProposalWriter = config.llm.apiKey
    ? (await import('./adapters/llm/anthropic/claude-writer.ts')).createClaudeWriter({
        apiKey: config.llm.apiKey,
        model: config.llm.model,
        ...(config.llm.baseURL ? { baseURL: config.llm.baseURL } : {}),
        ...(config.llm.cycleTokenBudget ? { cycleTokenBudget: config.llm.cycleTokenBudget } : {}),
        maxRetries: config.llm.maxRetries,
        timeoutMs: config.llm.timeoutMs,
        concurrency: config.llm.concurrency,
        maxOutputTokens: config.llm.maxOutputTokens,
        logger,
        fallback: template,
      })
    : template;
  const extraAnalyzers = extras.analyzers ?? [];
  const withBuiltIns = extras.builtInAnalyzers !== false;
  // Telemetry is built on first need: `proposals list` should not wait for a warehouse.
  let telemetry: Promise<Telemetry | null> | undefined;
  const loadTelemetry = () =>
    (telemetry ??= withBuiltIns
      ? // DuckDB, BigQuery and the analyzers load on first need: `proposals list` starts without them.
        import('./telemetry.ts')
          .then(({ buildTelemetry }) => buildTelemetry(config, stores.job, logger))
          .catch((error: unknown) => {
            telemetry = undefined; // a failed start (warehouse down, repo missing) is tried again next time
            throw error;
          })
      : Promise.resolve(null));
  let cycleInFlight: Promise<unknown> | undefined;
  // The executor records its steps without waiting for them; close() waits, or the warehouse would be
  // closed under the last ones (a CLI `proposals execute` closes the app as soon as the decision returns).
  const recordings = new Set<Promise<unknown>>();
  // Filled below: the Slack surface needs the decisions, and the decisions tell its notifier.
  const notifiers: ProposalNotifier[] = [];
  const repoPath = config.targetRepo ?? path.join(config.dataDir, 'demo-repo');
  const gitExecutor = await createExecutorFromConfig(config, {
    repoPath,
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
    lockStore: stores.redis
      ? { redis: stores.redis, keyPrefix: `${config.redis.keyPrefix}improvement:` }
      : { dir: path.join(config.dataDir, 'locks') },
  });
  // The demo repository is made on first need (a CLI `proposals execute` may come before any cycle).
  const executor = gitExecutor && !config.targetRepo ? demoRepoFirst(gitExecutor, repoPath) : gitExecutor;
  const decisions = createDecisions({ store: stores.request, notifiers, logger, ...(executor ? { executor } : {}) });
  const jobDecisions = createDecisions({ store: stores.job, notifiers, logger, ...(executor ? { executor } : {}) });
  let cycleRunning = false;
  const metrics = createPrometheusMetrics(stores.request);
  const runAppCycle: CycleRunner = async (options) => {
    // Overlapping cycles would only race to file the same findings; replicas are kept apart by the scheduler's slot locks.
    if (cycleRunning) throw new CycleAlreadyRunning('A cycle is already running in this process; try again when it has finished');
    cycleRunning = true;
    try {
      // AUTO_EXECUTE switches auto-execution on for every cycle; --auto-execute asks for it once.
      const autoExecute = options.autoExecute || config.analysis.autoExecute;
      const built = await loadTelemetry();
      const running = runCycle(
        { ...options, autoExecute },
        {
          store: stores.job,
          analyzers: [...(built?.analyzers ?? []), ...extraAnalyzers],
          // A dry run writes nothing and spends nothing: templates draft what it would file.
          writer: options.dryRun ? template : writer,
          decisions: jobDecisions,
          settings: config.analysis,
          logger,
          notifiers,
          ...(executor
            ? { tryPatch: (patch: string, declared?: Parameters<typeof executor.tryPatch>[1]) => executor.tryPatch(patch, declared) }
            : {}),
          ...(built ? { verifyGains: (now: Date) => verifyPerformanceGains({ store: stores.job, warehouse: built.warehouse, now }) } : {}),
        },
      );
      cycleInFlight = running;
      const report = await running;
      if (!options.dryRun) metrics.observeCycle(report);
      if (options.dryRun) return { report };
      return { report, files: await writeCycleReport(path.join(config.dataDir, 'reports'), report) };
    } finally {
      cycleRunning = false;
    }
  };

  const slackKeys = `${config.redis.keyPrefix}improvement:`;
  const slackState: SlackStateStore = stores.failFast
    ? createRedisSlackState({ redis: stores.failFast, keyPrefix: slackKeys })
    : createFileSlackState({ file: path.join(config.dataDir, 'slack-state.json') });
  const slackDeps: SlackSurfaceDeps = {
    settings: config.slack,
    outboxDir: config.outboxDir,
    store: stores.request,
    decisions,
    state: slackState,
    ...(stores.redis ? { backgroundState: createRedisSlackState({ redis: stores.redis, keyPrefix: slackKeys }) } : {}),
    logger,
    runCycle: runAppCycle,
    observeAck: (seconds, kind) => metrics.observeSlackAck(seconds, kind),
    outboxReminderHours: config.slack?.reminderHours ?? 48,
    ...(config.slack?.appId ? { appId: config.slack.appId } : {}),
    scheduleStatus: async () => {
      const statuses = await jobStatuses(config, stores.coordination.readRecords, 3);
      return {
        nextRuns: statuses.flatMap((s) => (s.nextRun ? [{ job: s.job, at: s.nextRun }] : [])),
        lastRuns: statuses.flatMap((s) =>
          s.recent.slice(0, 1).map((r) => ({
            job: r.job,
            slot: r.slot,
            startedAt: r.startedAt,
            finishedAt: r.finishedAt,
            outcome: r.outcome,
            ...(r.error ? { error: r.error } : {}),
          })),
        ),
      };
    },
  };
  // Bolt is loaded only when Slack is configured; the outbox needs none of it.
  const slack = config.slack
    ? (await import('./adapters/slack/slack-surface.ts')).createSlackSurface(slackDeps)
    : createOutboxSurface(slackDeps);
  notifiers.push(slack.notifier);
  const modes: PartMode[] = [
    { part: 'store', mode: stores.description },
    { part: 'warehouse', mode: withBuiltIns ? describeWarehouse(config) : 'none (built-in analyzers off)' },
    { part: 'repository', mode: config.targetRepo ?? `demo repository at ${path.join(config.dataDir, 'demo-repo')}` },
    {
      part: 'llm',
      mode: config.llm.apiKey
        ? `online (${config.llm.model}; ${config.llm.cycleTokenBudget ? `${config.llm.cycleTokenBudget} tokens per cycle` : 'no token budget'}; templates when it fails)`
        : 'offline (template writer; set ANTHROPIC_API_KEY for Claude)',
    },
    { part: 'slack', mode: slack.mode },
    { part: 'executor', mode: executor ? describeExecutor(config, repoPath) : 'off (EXECUTION_ENABLED is false)' },
    { part: 'scheduler', mode: config.enableSelfImprovement ? 'on' : 'off (ENABLE_SELF_IMPROVEMENT is not true)' },
  ];

  return {
    config,
    requestStore: stores.request,
    jobStore: stores.job,
    decisions,
    jobDecisions,
    analyzerNames: [...(withBuiltIns ? BUILT_IN_ANALYZERS : []), ...extraAnalyzers.map((a) => a.name)],
    writer,
    modes,
    metrics,
    coordination: stores.coordination,
    slack,
    ...(executor ? { executor } : {}),
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
    runCycle: runAppCycle,
    async close() {
      // A cycle still filing (a POST /analyze cut off at shutdown) finishes before its store closes.
      await cycleInFlight?.catch(() => undefined);
      // Executions answered with 202 finish (or fail and are recorded) before their store closes.
      await Promise.all([decisions.settled(), jobDecisions.settled()]);
      await Promise.allSettled([...recordings]);
      const built = await telemetry?.catch(() => null);
      await Promise.allSettled([stores.close(), built?.warehouse.close()]);
    },
  };
}

interface Stores {
  request: ProposalStore;
  job: ProposalStore;
  description: string;
  coordination: App['coordination'];
  redis?: Redis;
  /** The fail-fast client, for state that request handlers read (Slack's message refs and dedupe). */
  failFast?: Redis;
  close(): Promise<void>;
}

async function buildStores(config: Config, logger: Logger): Promise<Stores> {
  if (!config.redis.url) {
    const store = createEmbeddedStore({ file: path.join(config.dataDir, 'store.sqlite'), retentionDays: config.retentionDays });
    // Processes sharing the embedded store share a machine: files under DATA_DIR coordinate them.
    const scheduleDir = path.join(config.dataDir, 'schedule');
    return {
      request: store,
      job: store,
      description: `embedded (SQLite at ${path.join(config.dataDir, 'store.sqlite')})`,
      coordination: (() => {
        const records = createFileJobRecords(path.join(scheduleDir, 'records'));
        return { lock: createFileSlotLock(path.join(scheduleDir, 'locks')), records, readRecords: records };
      })(),
      close: () => store.close(),
    };
  }
  const common = { keyPrefix: config.redis.keyPrefix, retentionDays: config.retentionDays, ownsConnection: true };
  const failFast = createFailFastRedis(config.redis.url, { requestTimeoutMs: config.redis.requestTimeoutMs });
  // The fail-fast client has no offline queue: wait for its first connection so the first requests
  // do not fail, but start anyway when Redis is down (handlers answer 503 and /readyz says so).
  await whenReady(failFast, 5000).catch(() =>
    logger.warn('Redis did not answer within 5 s; starting anyway, requests fail fast until it does'),
  );
  const request = createRedisStore({ ...common, redis: failFast });
  const patient = createPatientRedis(config.redis.url);
  const job = createRedisStore({ ...common, redis: patient });
  const schedulePrefix = `${config.redis.keyPrefix}improvement:schedule:`;
  return {
    request,
    job,
    redis: patient,
    failFast,
    coordination: {
      lock: createRedisSlotLock(patient, { keyPrefix: schedulePrefix }),
      records: createRedisJobRecords(patient, { keyPrefix: schedulePrefix }),
      // A handler reading job state must answer 503 within the request timeout, not wait out Redis.
      readRecords: createRedisJobRecords(failFast, { keyPrefix: schedulePrefix }),
    },
    description: `redis${config.redis.keyPrefix ? ` (key prefix "${config.redis.keyPrefix}")` : ''}`,
    async close() {
      await Promise.allSettled([request.close(), job.close()]);
    },
  };
}

function demoRepoFirst(executor: GitExecutor, dir: string): GitExecutor {
  let made: Promise<unknown> | undefined;
  const ensure = () =>
    (made ??= createDemoRepo({ dir }).catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
  return {
    get worktreeRoot() {
      return executor.worktreeRoot;
    },
    execute: async (proposal, request) => (await ensure(), executor.execute(proposal, request)),
    rollback: async (proposal, request) => (await ensure(), executor.rollback(proposal, request)),
    tryPatch: async (patch, declared) => (await ensure(), executor.tryPatch(patch, declared)),
    recoverInterrupted: (options) => executor.recoverInterrupted(options),
  };
}

function describeExecutor(config: Config, repoPath: string): string {
  const warnings = probeIsolation().warnings;
  const merge = config.safety.allowProductionDeploy && !config.safety.requireReview ? 'fast-forwards the base branch' : 'never merges';
  return `git worktrees of ${repoPath} under ${config.execution.worktreeDir}; tests: ${config.testCommand}; ${merge}${warnings.length ? `; sandbox: ${warnings.join('; ')}` : ''}`;
}

function describeWarehouse(config: Config): string {
  if (config.telemetry.bigquery) return `bigquery (project ${config.telemetry.bigquery.projectId})`;
  if (config.telemetry.dir) return `duckdb over ${config.telemetry.dir}`;
  return `duckdb over the bundled sample (generated into ${path.join(config.dataDir, 'sample-telemetry')} on first use)`;
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
