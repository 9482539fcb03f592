import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { applyEnvFile, describeEnvFile, type EnvFileLoad } from './env-file.ts';
import { createLogger, type Logger } from './logging.ts';
import { buildApp, resolveApiTokens } from './app.ts';
import { createHttpApp } from './adapters/http/http-app.ts';
import { chartImageKey, createChartImageLinks } from './adapters/web/chart-image-links.ts';
import { codeHostFromRemote, type CodeHost } from './adapters/web/code-host-links.ts';
import { createDashboard } from './adapters/web/dashboard.ts';
import { describePublicUrl } from './composition/part-modes.ts';
import { createScheduler, type Scheduler } from './schedule/scheduler.ts';
import { jobStatuses, scheduledJobs } from './schedule/service-jobs.ts';

const SWEEP_EVERY_MS = 60 * 60 * 1000;
const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The composition root: config → adapters → HTTP. Prints one line per part saying which mode it runs
 * in, and shuts down gracefully: no new connections, in-flight requests (and their store
 * transitions) finish, then the store closes.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  print: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<RunningServer> {
  const app = await buildApp(config, logger);
  // Build the warehouse now (the bundled sample is generated on a first start) so the start lines are true.
  await app.prepare();
  const { tokens, source } = await resolveApiTokens(config);
  const scheduler: Scheduler | undefined = config.enableSelfImprovement
    ? createScheduler({
        jobs: scheduledJobs(app, {
          digest: (now) => app.slack.postDigest(now),
          ...(app.pullRequests?.poll ? { pullRequestPoll: app.pullRequests.poll } : {}),
        }),
        timezone: config.schedule.timezone,
        lock: app.coordination.lock,
        records: app.coordination.records,
        maxLatenessMs: config.schedule.maxLatenessMs,
        catchUp: config.schedule.catchUp,
        logger,
        onRecord: (record) => app.metrics.observeJob(record),
      })
    : undefined;
  const dashboard = createDashboard({
    store: app.requestStore,
    decisions: app.decisions,
    apiTokens: tokens,
    tokenSource: source,
    sessionHours: config.dashboard.sessionHours,
    logger: logger.child({ surface: 'dashboard' }),
    warehouse: () => app.warehouse(),
    slackPermalink: (id) => app.slack.permalink(id),
    chartImages: createChartImageLinks({ publicUrl: config.publicUrl ?? '', key: chartImageKey(tokens) }),
    ranking: config.ranking,
    ...withCodeHost(config),
  });
  const http = createHttpApp({
    surfaces: [
      ...(app.slack.handler ? [app.slack.handler] : []),
      ...(app.pullRequests?.webhooks ? [app.pullRequests.webhooks] : []),
      dashboard,
    ],
    ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
    // Every replica shows the shared records, whether or not its own scheduler fires the jobs.
    jobs: () => jobStatuses(config, app.coordination.readRecords, 10),
    schedulerEnabled: Boolean(scheduler),
    store: app.requestStore,
    decisions: app.decisions,
    revisions: app.revisions,
    runCycle: (options) => app.runCycle(options),
    apiTokens: tokens,
    logger,
    analyzerNames: app.analyzerNames,
    ranking: config.ranking,
    metrics: app.metrics,
    readiness: async () => ({
      // /readyz is public: say which part is down, never how (addresses, hosts).
      store: await app.requestStore.ping().then(
        () => 'ok' as const,
        (error: unknown) => {
          logger.warn({ err: error }, 'readiness: the store does not answer');
          return 'unavailable';
        },
      ),
    }),
  });

  const server = await listen(http, config.port, config.host);
  // In the background, so that neither keeps the API and dashboard from answering:
  // - Socket Mode connects (HTTP mode needs nothing: Slack reaches /slack/events on the port just opened);
  // - executions a dead process left `executing` are recovered: worktrees and branches cleaned, marked
  //   failed (interrupted). With Redis down this waits for it; every execution recovers first anyway.
  const slackStarting = app.slack
    .start()
    .catch((error: unknown) => logger.error({ err: error }, 'Slack did not start; the rest of the service runs'));
  const recovering = app.executor?.recoverInterrupted().then(
    ({ recovered }) =>
      recovered.length && logger.warn({ proposals: recovered }, 'interrupted executions recovered: marked failed, worktrees removed'),
    (error: unknown) => logger.error({ err: error }, 'recovery of interrupted executions failed; the next execution tries again'),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  const sweep = () =>
    app.jobStore
      .sweepExpired(new Date())
      .then((n) => n && logger.info({ removed: n }, 'expired proposals swept'))
      .catch((error: unknown) => logger.warn({ err: error }, 'sweep of expired proposals failed; will retry'));
  void sweep();
  const sweeper = setInterval(sweep, SWEEP_EVERY_MS);
  sweeper.unref();

  if (scheduler) {
    scheduler.start();
    // From the crons alone: the start line must not wait for (or fail on) the store.
    const next = scheduler
      .nextRuns()
      .map(({ job, at }) => `${job} ${at}`)
      .join(', ');
    setMode(
      app.modes,
      'scheduler',
      `on (${config.schedule.timezone}${config.schedule.catchUp ? '; missed slots run once at start' : ''}; next: ${next})`,
    );
  }
  for (const part of app.modes) print(`${part.part.padEnd(10)} ${part.mode}`);
  print(
    `${'http'.padEnd(10)} listening on ${url} (API token from ${source === 'API_TOKENS' ? 'API_TOKENS' : source}; dashboard at ${url}/; ${describePublicUrl(config)})`,
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        // First no new work: the listener closes (requests in flight finish) while no new slot fires
        // and a job in flight finishes, its lease released. Then Slack's handlers and connection,
        // then the executions answered early and the stores (app.close).
        const serverClosed = new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        });
        await Promise.all([serverClosed, scheduler?.stop(), slackStarting, recovering]);
        await app.slack.stop().catch((error: unknown) => logger.warn({ err: error }, 'Slack did not stop cleanly'));
        await app.slack.idle();
        await app.close();
      })();
      return closing;
    },
  };
}

/** GIT_REMOTE as a GitHub or GitLab URL gives the dashboard links to branches, commits and files. */
function withCodeHost(config: Config): { codeHost?: CodeHost } {
  // Without BASE_BRANCH, HEAD: both hosts resolve it to the default branch.
  const codeHost = codeHostFromRemote(config.execution.remote, config.execution.baseBranch ?? 'HEAD');
  return codeHost ? { codeHost } : {};
}

function setMode(modes: { part: string; mode: string }[], part: string, mode: string): void {
  const entry = modes.find((m) => m.part === part);
  if (entry) entry.mode = mode;
}

function listen(http: ReturnType<typeof createHttpApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = http.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/** Runs the server until SIGTERM or SIGINT. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  let envFile: EnvFileLoad | undefined;
  try {
    // .env in the working directory, as .env.example says; the environment wins over it.
    envFile = applyEnvFile(env, process.cwd());
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // JSON lines for a collector; one human line per entry when a person watches the terminal.
  const logger = createLogger(config.logLevel, undefined, { time: true, stacks: true, color: !env.NO_COLOR });
  if (envFile) process.stdout.write(`${'settings'.padEnd(10)} ${describeEnvFile(envFile)}\n`);
  const running = await startServer(config, logger);
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
