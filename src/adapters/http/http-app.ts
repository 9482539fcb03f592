import express from 'express';
import type { RankingSettings } from '../../proposals/ranking/pending-ranking.ts';
import type { CycleRunner } from '../../cycle/run-cycle.ts';
import type { Logger } from '../../logging.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { Decisions } from '../../proposals/decisions.ts';
import type { Revisions } from '../../proposals/revisions.ts';
import { analysisRoutes } from './analysis-routes.ts';
import { bearerAuth } from './bearer-auth.ts';
import { deploymentRoutes } from './deployment-routes.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { healthRoutes, jobRoutes, type HealthRoutesDeps, type ReadinessCheck } from './health-routes.ts';
import { jsonBody } from './json-body.ts';
import { requireJsonBody } from './json-only.ts';
import { proposalRoutes } from './proposal-routes.ts';
import { requestContextMiddleware } from './request-context.ts';

export interface HttpDeps {
  store: ProposalStore;
  decisions: Decisions;
  revisions?: Revisions;
  runCycle: CycleRunner;
  apiTokens: string[];
  logger: Logger;
  readiness?: ReadinessCheck;
  /** Names `POST /api/improvements/analyze` accepts as `{type}` besides the cycle types. */
  analyzerNames?: string[];
  /** How `/api/improvements/ranking` orders pending proposals (RANKING_MIN_DECISIONS). */
  ranking?: RankingSettings;
  /** Prometheus text at GET /metrics, behind the same bearer tokens as the API. */
  metrics?: { contentType: string; render(): Promise<string> };
  /**
   * Surfaces with their own auth and body handling (Slack's `/slack/events` needs the raw body and
   * checks signatures; the dashboard at `/` uses a session cookie), mounted before the API's.
   */
  surfaces?: express.RequestHandler[];
  /** The scheduled jobs' state for the health route and `GET /api/improvements/jobs`. */
  jobs?: HealthRoutesDeps['jobs'];
  /** Whether this replica's scheduler fires them. */
  schedulerEnabled?: boolean;
  /** Express's `trust proxy` (TRUST_PROXY): lets req.secure and req.ip see through a TLS-terminating proxy. */
  trustProxy?: boolean | number | string;
}

/**
 * The HTTP API. Order matters: request id first (every line and error carries it), health routes
 * before auth (probes have no token), auth before body parsing (no parsing for strangers), and the
 * JSON parser on `/api` only, so a later Slack receiver still sees raw bytes. A non-empty body that
 * is not JSON is refused (415) rather than read as no body.
 */
export function createHttpApp(deps: HttpDeps): express.Express {
  const { logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  // `?a[b]=1` stays a plain string key: nested query objects are a pollution vector and never needed here.
  app.set('query parser', 'simple');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);

  if (!deps.apiTokens.some((t) => t.length > 0)) {
    logger.warn('no API tokens are configured: every authenticated API request will be refused');
  }

  app.use(requestContextMiddleware(logger));
  app.use(
    healthRoutes({
      store: deps.store,
      ...(deps.readiness ? { readiness: deps.readiness } : {}),
      ...(deps.jobs ? { jobs: deps.jobs } : {}),
      ...(deps.schedulerEnabled !== undefined ? { schedulerEnabled: deps.schedulerEnabled } : {}),
    }),
  );
  const metrics = deps.metrics;
  if (metrics) {
    app.get('/metrics', bearerAuth(deps.apiTokens), (_req, res, next) => {
      metrics.render().then((text) => res.type(metrics.contentType).send(text), next);
    });
  }
  for (const surface of deps.surfaces ?? []) app.use(surface);
  app.use('/api', bearerAuth(deps.apiTokens), requireJsonBody(), jsonBody());
  app.use('/api/improvements', jobRoutes(deps.jobs, deps.schedulerEnabled ?? Boolean(deps.jobs)));
  app.use(
    '/api/improvements',
    proposalRoutes({ store: deps.store, decisions: deps.decisions, ...(deps.revisions ? { revisions: deps.revisions } : {}) }),
  );
  app.use('/api/deployments', deploymentRoutes({ store: deps.store }));
  app.use(
    '/api/improvements',
    analysisRoutes({
      store: deps.store,
      runCycle: deps.runCycle,
      analyzerNames: deps.analyzerNames ?? [],
      ...(deps.ranking ? { ranking: deps.ranking } : {}),
    }),
  );
  app.use(notFoundHandler());
  app.use(errorHandler(logger));
  return app;
}
