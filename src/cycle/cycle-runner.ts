import { CycleAlreadyRunning } from '../domain/errors.ts';
import type { ProposalWriter } from '../ports/writer.ts';
import { writeCycleReport } from './report-files.ts';
import { runCycle, type CycleDeps, type CycleReport, type CycleRunner } from './run-cycle.ts';

export interface CycleRunnerDeps {
  /** Built per run: analyzers and gain checks come with the telemetry, which loads on first need. */
  cycleDeps(): Promise<Omit<CycleDeps, 'writer'>>;
  writer: ProposalWriter;
  /** Drafts for a dry run, which writes nothing and spends nothing. */
  dryRunWriter: ProposalWriter;
  /** AUTO_EXECUTE: auto-execution on for every cycle; `--auto-execute` asks for it once. */
  autoExecute: boolean;
  reportsDir: string;
  onReport?: (report: CycleReport) => void;
}

export interface LockedCycleRunner {
  run: CycleRunner;
  /** The cycle still filing, if any: closing waits for it before its store goes. */
  inFlight(): Promise<unknown> | undefined;
}

/**
 * One cycle at a time per process: overlapping cycles would only race to file the same findings
 * (replicas are kept apart by the scheduler's slot locks). Every run but a dry run writes its report.
 */
export function createCycleRunner(deps: CycleRunnerDeps): LockedCycleRunner {
  let running: Promise<CycleReport> | undefined;
  const run: CycleRunner = async (options) => {
    if (running) throw new CycleAlreadyRunning('A cycle is already running in this process; try again when it has finished');
    const cycle = (async () => {
      const base = await deps.cycleDeps();
      return runCycle(
        { ...options, autoExecute: options.autoExecute || deps.autoExecute },
        { ...base, writer: options.dryRun ? deps.dryRunWriter : deps.writer },
      );
    })();
    running = cycle;
    try {
      const report = await cycle;
      if (options.dryRun) return { report };
      deps.onReport?.(report);
      return { report, files: await writeCycleReport(deps.reportsDir, report) };
    } finally {
      running = undefined;
    }
  };
  return { run, inFlight: () => running };
}
