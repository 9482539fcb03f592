import { Router } from 'express';
import type { CycleRunner } from '../../cycle/run-cycle.ts';
import type { CycleType } from '../../ports/analyzer.ts';
import { CYCLE_TYPES } from '../../ports/analyzer.ts';
import type { ProposalStore } from '../../ports/store.ts';
import { computeMetrics } from '../../proposals/metrics.ts';
import { requestContext } from './request-context.ts';
import { analyzeBodySchema, bodyOf } from './request-schemas.ts';

export interface AnalysisRoutesDeps {
  store: ProposalStore;
  runCycle: CycleRunner;
  analyzerNames: readonly string[];
}

function isCycleType(value: string): value is CycleType {
  return (CYCLE_TYPES as readonly string[]).includes(value);
}

/** `/api/improvements/metrics` and `/api/improvements/analyze`. Mounted behind bearer auth. */
export function analysisRoutes({ store, runCycle, analyzerNames }: AnalysisRoutesDeps): Router {
  const router = Router();
  const analyzeBody = analyzeBodySchema(analyzerNames);

  router.get('/metrics', async (_req, res) => {
    res.json(await computeMetrics(store));
  });

  router.post('/analyze', async (req, res) => {
    const { type, asOf } = analyzeBody.parse(bodyOf(req));
    const options = { ...(isCycleType(type) ? { type } : { type: 'full' as const, only: [type] }), ...(asOf ? { asOf: new Date(asOf) } : {}) };
    const { log } = requestContext(res);
    log.info({ cycle: options.type, only: 'only' in options ? options.only : undefined }, 'analysis requested over the API');
    const { report } = await runCycle(options);
    res.json(report);
  });

  return router;
}
