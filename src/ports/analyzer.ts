import type { Finding } from '../domain/finding.ts';

/** 'regression-watch' is the hourly run of the fresh-regression detector alone (performance analyzer). */
export const CYCLE_TYPES = ['daily', 'weekly', 'monthly', 'full', 'regression-watch'] as const;
export type CycleType = (typeof CYCLE_TYPES)[number];

export interface AnalysisWindow {
  from: Date;
  to: Date;
}

export interface AnalysisContext {
  cycle: CycleType;
  window: AnalysisWindow;
  /** "now" for this run; pinned by --as-of so a run is reproducible. */
  asOf: Date;
  /** A dry run: analyzers must write nothing (no knowledge entries, no write-back rows). */
  dryRun?: boolean;
  /** Reads the cycle's analyzers share; absent outside a cycle (each analyzer then reads for itself). */
  reads?: CycleReads;
}

/**
 * One cycle's shared reads: the same read of the same source (e.g. the window's interaction texts,
 * which learning and features both need) runs once per cycle and is dropped with the cycle.
 */
export interface CycleReads {
  once<T>(source: object, key: string, read: () => Promise<T>): Promise<T>;
}

/** One analyzer: reads telemetry through the ports it was built with, returns findings. */
export interface Analyzer {
  readonly name: string;
  /** Cycle types this analyzer runs in ('full' runs every analyzer). */
  readonly cycles: readonly CycleType[];
  analyze(context: AnalysisContext): Promise<Finding[]>;
}
