import { readFileSync } from 'node:fs';
import { Router } from 'express';
import { STATUSES } from '../../domain/proposal.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { JobStatus } from '../../schedule/job-status.ts';
import { HttpProblem } from './errors.ts';
import { requestContext } from './request-context.ts';

export type ReadinessCheck = () => Promise<Record<string, 'ok' | string>>;

export interface HealthRoutesDeps {
  store: ProposalStore;
  readiness?: ReadinessCheck;
  /** The scheduled jobs' state, from the records every replica shares. */
  jobs?: () => Promise<JobStatus[]>;
  /** Whether this replica's scheduler fires the jobs (ENABLE_SELF_IMPROVEMENT). */
  schedulerEnabled?: boolean;
}

/** Probe answers are public: a failing check's text is cut short so it cannot carry much of anything. */
const MAX_CHECK_TEXT = 200;

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Health routes, reachable without a token: `/healthz` (the process answers; touches nothing),
 * `/readyz` (every readiness check is 'ok'), and the seed's `/api/improvements/health`.
 */
export function healthRoutes({ store, readiness, jobs, schedulerEnabled }: HealthRoutesDeps): Router {
  const router = Router();
  const version = packageVersion();
  const startedAt = Date.now();
  const uptimeSeconds = () => Math.round((Date.now() - startedAt) / 1000);

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });

  router.get('/readyz', async (_req, res) => {
    let checks: Record<string, string>;
    try {
      checks = readiness ? await readiness() : {};
    } catch (error) {
      requestContext(res).log.warn({ err: error }, 'readiness check threw');
      checks = { readiness: 'the readiness check failed' };
    }
    const failing = Object.fromEntries(
      Object.entries(checks)
        .filter(([, state]) => state !== 'ok')
        .map(([name, state]) => [name, String(state).slice(0, MAX_CHECK_TEXT)]),
    );
    if (Object.keys(failing).length) res.status(503).json({ status: 'not_ready', failing });
    else res.json({ status: 'ready', checks });
  });

  router.get('/api/improvements/health', async (_req, res) => {
    const base = { version, uptimeSeconds: uptimeSeconds(), store: { kind: store.kind } };
    try {
      await store.ping();
      const counters = await store.counters();
      const proposals = Object.fromEntries(STATUSES.map((s) => [s, counters[`current:status:${s}`] ?? 0]));
      res.json({
        status: 'healthy',
        ...base,
        store: { ...base.store, status: 'ok' },
        proposals,
        scheduler: await schedulerSummary(jobs, schedulerEnabled ?? Boolean(jobs)),
      });
    } catch (error) {
      requestContext(res).log.warn({ err: error }, 'health: the store does not answer');
      res.status(503).json({ status: 'unhealthy', ...base, store: { ...base.store, status: 'unavailable' } });
    }
  });

  return router;
}

/**
 * The public view of the jobs: when each runs next, when it last succeeded, and its last run's
 * outcome and counts. Error texts stay behind the token (`GET /api/improvements/jobs`).
 */
async function schedulerSummary(jobs: HealthRoutesDeps['jobs'], enabled: boolean) {
  if (!jobs) return { enabled };
  const statuses = await jobs();
  return {
    enabled,
    jobs: statuses.map(({ job, cron, timezone, nextRun, lastSuccess, recent }) => {
      const last = recent[0];
      return {
        job,
        cron,
        timezone,
        nextRun,
        lastSuccess,
        lastRun: last
          ? {
              slot: last.slot,
              startedAt: last.startedAt,
              finishedAt: last.finishedAt,
              outcome: last.outcome,
              ...(last.counts ? { counts: last.counts } : {}),
            }
          : null,
      };
    }),
  };
}

/** Every job's recent records in full, errors included; mounted behind the API's bearer auth. */
export function jobRoutes(jobs: HealthRoutesDeps['jobs'], enabled = Boolean(jobs)): Router {
  const router = Router();
  router.get('/jobs', async (_req, res, next) => {
    try {
      res.json({ enabled, jobs: jobs ? await jobs() : [] });
    } catch (error) {
      requestContext(res).log.warn({ err: error }, 'jobs: the job records could not be read');
      next(
        new HttpProblem(503, 'store_unavailable', 'The job records could not be read: the store does not answer. Try again shortly.', {
          'Retry-After': '5',
        }),
      );
    }
  });
  return router;
}
