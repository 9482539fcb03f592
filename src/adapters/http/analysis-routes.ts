import { Router } from 'express';
import type { CycleRunner } from '../../cycle/run-cycle.ts';
import type { CycleType } from '../../ports/analyzer.ts';
import { CYCLE_TYPES } from '../../ports/analyzer.ts';
import type { ProposalStore } from '../../ports/store.ts';
import { computeMetrics } from '../../proposals/metrics.ts';
import { DEFAULT_RANKING, rankPending, type RankingSettings } from '../../proposals/ranking/pending-ranking.ts';
import { createCycleRuns, cycleFailed } from './cycle-runs.ts';
import { HttpProblem } from './errors.ts';
import { requestContext } from './request-context.ts';
import { analyzeBodySchema, bodyOf } from './request-schemas.ts';

export interface AnalysisRoutesDeps {
  store: ProposalStore;
  runCycle: CycleRunner;
  analyzerNames: readonly string[];
  /** How pending proposals are ranked (`/ranking`). */
  ranking?: RankingSettings;
}

function isCycleType(value: string): value is CycleType {
  return (CYCLE_TYPES as readonly string[]).includes(value);
}

/**
 * `/api/improvements/metrics`, `/ranking`, `/analyze` and `/cycles/:id` under `/api/improvements`.
 * Mounted behind bearer auth. `/analyze` answers when the cycle has ended (503 when it failed), or
 * at once with 202 and the run's address when the client sends `Prefer: respond-async`.
 */
export function analysisRoutes({ store, runCycle, analyzerNames, ranking = DEFAULT_RANKING }: AnalysisRoutesDeps): Router {
  const router = Router();
  const analyzeBody = analyzeBodySchema(analyzerNames);
  const runs = createCycleRuns(runCycle);

  router.get('/metrics', async (_req, res) => {
    res.json(await computeMetrics(store));
  });

  router.get('/ranking', async (_req, res) => {
    res.json(await rankPending(store, ranking));
  });

  router.post('/analyze', async (req, res) => {
    const { type, asOf } = analyzeBody.parse(bodyOf(req));
    const options = {
      ...(isCycleType(type) ? { type } : { type: 'full' as const, only: [type] }),
      ...(asOf ? { asOf: new Date(asOf) } : {}),
    };
    const { log } = requestContext(res);
    log.info({ cycle: options.type, only: 'only' in options ? options.only : undefined }, 'analysis requested over the API');
    // A cycle cannot file anything without the store: say so now, not after every analyzer has run.
    await store.ping();
    if (/\brespond-async\b/i.test(req.get('prefer') ?? '')) {
      const run = runs.start(options);
      res.status(202).location(`/api/improvements/cycles/${run.id}`).set('Preference-Applied', 'respond-async').json(run);
      return;
    }
    const { report } = await runCycle(options);
    if (cycleFailed(report)) {
      res.status(503).json({ error: 'cycle_failed', message: `The cycle failed: ${report.errors.slice(0, 3).join('; ')}`, report });
      return;
    }
    res.json(report);
  });

  router.get('/cycles/:id', (req, res) => {
    const run = runs.get(req.params.id);
    if (!run)
      throw new HttpProblem(
        404,
        'not_found',
        'No cycle with that id was started on this replica (runs are kept in memory, the newest 100)',
      );
    res.json(run);
  });

  return router;
}
