import { readFileSync } from 'node:fs';
import { Router } from 'express';
import { STATUSES } from '../../domain/proposal.ts';
import type { ProposalStore } from '../../ports/store.ts';
import { requestContext } from './request-context.ts';

export type ReadinessCheck = () => Promise<Record<string, 'ok' | string>>;

export interface HealthRoutesDeps {
  store: ProposalStore;
  readiness?: ReadinessCheck;
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
export function healthRoutes({ store, readiness }: HealthRoutesDeps): Router {
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
      res.json({ status: 'healthy', ...base, store: { ...base.store, status: 'ok' }, proposals });
    } catch (error) {
      requestContext(res).log.warn({ err: error }, 'health: the store does not answer');
      res.status(503).json({ status: 'unhealthy', ...base, store: { ...base.store, status: 'unavailable' } });
    }
  });

  return router;
}
