import { randomBytes } from 'node:crypto';
import type { CycleOptions, CycleReport, CycleRunner } from '../../cycle/run-cycle.ts';
import { errorMessage } from '../../domain/errors.ts';

/** A cycle asked for over the API, as `GET /api/improvements/cycles/:id` shows it. */
export interface CycleRun {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt?: string;
  report?: CycleReport;
  /** Why it failed: the cycle's errors, or the error that stopped it. */
  errors?: string[];
}

/**
 * Whether a finished cycle failed: it threw, every analyzer it ran failed, or a finding could not be
 * filed (the store went away). One analyzer failing among others (say, no repository for code
 * quality) is a partial success, and its error is in the report.
 */
export function cycleFailed(report: CycleReport): boolean {
  if (report.errors.length === 0) return false;
  const analyzerErrors = report.analyzers.filter((a) => a.error).length;
  const allAnalyzersFailed = report.analyzers.length > 0 && analyzerErrors === report.analyzers.length;
  return allAnalyzersFailed || report.errors.length > analyzerErrors;
}

/** How many finished runs each replica remembers for their callers. */
const KEPT_RUNS = 100;

/**
 * Cycles started by `POST /analyze` with `Prefer: respond-async`, kept in this process: the caller
 * polls the replica that answered (its `Location`), and a restart forgets them, as it ends the cycle.
 */
export function createCycleRuns(runCycle: CycleRunner, now: () => Date = () => new Date()) {
  const runs = new Map<string, CycleRun>();
  const pending = new Set<Promise<unknown>>();

  function forgetOld(): void {
    const finished = [...runs.values()].filter((r) => r.status !== 'running');
    for (const run of finished.slice(0, Math.max(0, finished.length - KEPT_RUNS))) runs.delete(run.id);
  }

  return {
    start(options: CycleOptions): CycleRun {
      const run: CycleRun = { id: `run-${randomBytes(8).toString('hex')}`, status: 'running', startedAt: now().toISOString() };
      runs.set(run.id, run);
      const work = runCycle(options).then(
        ({ report }) =>
          Object.assign(run, {
            status: cycleFailed(report) ? 'failed' : 'succeeded',
            finishedAt: now().toISOString(),
            report,
            ...(report.errors.length ? { errors: report.errors } : {}),
          }),
        (error: unknown) =>
          Object.assign(run, {
            status: 'failed',
            finishedAt: now().toISOString(),
            errors: [errorMessage(error)],
          }),
      );
      pending.add(work);
      void work.finally(() => {
        pending.delete(work);
        forgetOld();
      });
      return { ...run };
    },
    get(id: string): CycleRun | undefined {
      const run = runs.get(id);
      return run && { ...run };
    },
    /** Resolves when every cycle started here has ended (for shutdown and tests). */
    async settled(): Promise<void> {
      await Promise.allSettled([...pending]);
    },
  };
}

export type CycleRuns = ReturnType<typeof createCycleRuns>;
