import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { ConflictError, errorMessage } from '../domain/errors.ts';
import type { Finding } from '../domain/finding.ts';
import type { Proposal, ProposalDraft } from '../domain/proposal.ts';
import type { Logger } from '../logging.ts';
import type { AnalysisWindow, Analyzer, CycleType } from '../ports/analyzer.ts';
import type { ProposalStore } from '../ports/store.ts';
import type { ProposalWriter, WriterUsage } from '../ports/writer.ts';
import type { Decisions } from '../proposals/decisions.ts';
import { autoExecute } from '../proposals/auto-execution.ts';
import { decideFiling, type FilingDecision } from '../proposals/filing.ts';
import { notifyAll } from '../proposals/notify-all.ts';
import type { PatchTrial, TrialDeclaration } from '../ports/executor.ts';
import type { ProposalNotifier } from '../ports/notifier.ts';
import type { TableCoverage } from '../ports/warehouse.ts';
import type { OutcomeMeasurement } from '../proposals/outcomes/measure-outcomes.ts';
import { coverageNotes } from './coverage-notes.ts';
import { createCycleReads } from './cycle-reads.ts';
import { cycleWindow } from './window.ts';

export interface CycleOptions {
  type: CycleType;
  dryRun?: boolean;
  autoExecute?: boolean;
  asOf?: Date;
  /** Restricts the run to these analyzers (the API's `{type}`), by name. */
  only?: string[];
  /** Told as each step ends, for a progress line (the CLI on a terminal); never awaited, never fatal. */
  onProgress?: (event: CycleProgress) => void;
}

/** An analyzer finished (`done` of `of`), or filing began; a cycle takes seconds to minutes. */
export type CycleProgress = { step: 'analyzer'; run: AnalyzerRun; done: number; of: number } | { step: 'filing'; findings: number };

export interface CycleDeps {
  store: ProposalStore;
  analyzers: Analyzer[];
  writer: ProposalWriter;
  decisions: Decisions;
  settings: Pick<Config['analysis'], 'autoExecute' | 'maxAutoFixesPerDay' | 'reproposeWorseningFactor'>;
  logger: Logger;
  now?: () => Date;
  /** Measures the realized gains of implemented performance proposals (not in dry runs). */
  verifyGains?: (now: Date) => Promise<{ proposalId: string; endpoint: string; outcome: string }[]>;
  /** Tests whether implemented changes helped, over equal windows before and after (not in dry runs). */
  measureOutcomes?: (now: Date) => Promise<OutcomeMeasurement[]>;
  /** Tries a drafted patch in a throwaway worktree before filing, so the proposal shows whether its tests pass. */
  tryPatch?: (patch: string, declared: TrialDeclaration) => Promise<PatchTrial>;
  /** Told of every proposal filed ('created') or seen again ('evidence_updated'), e.g. to post it to Slack. */
  notifiers?: ProposalNotifier[];
  /** Analyzers left out because the telemetry they read is absent, with why; the report lists them. */
  skipped?: SkippedAnalyzer[];
  /** Rows per telemetry table in the window: a window without any is reported, with how to reach data. */
  coverage?: (window: AnalysisWindow) => Promise<TableCoverage[]>;
}

export interface SkippedAnalyzer {
  name: string;
  cycles: readonly CycleType[];
  reason: string;
}

export interface AnalyzerRun {
  name: string;
  findings: number;
  durationMs: number;
  error?: string;
}

export interface FiledProposal {
  id: string;
  fingerprint: string;
  title: string;
  type: Proposal['type'];
  priority: Proposal['priority'];
  reason: string;
}

/** Patches tried in a worktree per cycle, at most: each runs the target's whole test command. */
const MAX_PATCH_TRIALS_PER_CYCLE = 10;

/** Runs a cycle and keeps its report (files are absent for a dry run). What surfaces are given. */
export type CycleRunner = (options: CycleOptions) => Promise<{ report: CycleReport; files?: { json: string; markdown: string } }>;

export interface CycleReport {
  cycleId: string;
  type: CycleType;
  dryRun: boolean;
  asOf: string;
  window: { from: string; to: string };
  startedAt: string;
  finishedAt: string;
  analyzers: AnalyzerRun[];
  findings: number;
  created: FiledProposal[];
  updated: FiledProposal[];
  suppressed: FiledProposal[];
  /** In a dry run: what would have been filed (ids are not assigned). */
  wouldCreate: FiledProposal[];
  autoExecuted: { id: string; outcome: string }[];
  /** Implemented performance proposals whose before/after latency was measured (or is still waiting). */
  gains?: { proposalId: string; endpoint: string; outcome: string }[];
  /** Implemented changes tested for whether they helped (or still waiting for their after window). */
  outcomes?: OutcomeMeasurement[];
  /** Tokens and cost of writing this cycle's proposals, when the writer spends any. */
  llmUsage?: WriterUsage;
  /** Analyzers of this cycle type that did not run because their telemetry is absent. */
  skipped?: { name: string; reason: string }[];
  /** Rows per telemetry table in the window (when the warehouse can tell) and each table's newest timestamp. */
  telemetry?: { table: string; rowsInWindow: number; newest: string | null }[];
  /** What a reader must know to trust the outcome, e.g. that the window held no telemetry. */
  notes?: string[];
  errors: string[];
}

/**
 * One improvement cycle: run the analyzers of the cycle type over its window, file their findings as
 * proposals (deduplicated by fingerprint), and, when asked, auto-execute what policy allows.
 * An analyzer that fails is reported, never fatal; a dry run writes nothing anywhere.
 */
export async function runCycle(options: CycleOptions, deps: CycleDeps): Promise<CycleReport> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const asOf = options.asOf ?? startedAt;
  const window = cycleWindow(options.type, asOf);
  const cycleId = `${options.type}-${asOf.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
  const log = deps.logger.child({ cycleId });
  const report: CycleReport = {
    cycleId,
    type: options.type,
    dryRun: Boolean(options.dryRun),
    asOf: asOf.toISOString(),
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    analyzers: [],
    findings: 0,
    created: [],
    updated: [],
    suppressed: [],
    wouldCreate: [],
    autoExecuted: [],
    errors: [],
  };

  deps.writer.beginCycle?.();
  const selected = deps.analyzers.filter(
    (a) => (options.type === 'full' || a.cycles.includes(options.type)) && (!options.only?.length || options.only.includes(a.name)),
  );
  const skipped = (deps.skipped ?? []).filter(
    (a) => (options.type === 'full' || a.cycles.includes(options.type)) && (!options.only?.length || options.only.includes(a.name)),
  );
  if (skipped.length) report.skipped = skipped.map(({ name, reason }) => ({ name, reason }));
  await reportCoverage(deps, window, report, log);
  const findings: Finding[] = [];
  const reads = createCycleReads();
  for (const analyzer of selected) {
    const began = performance.now();
    try {
      const found = await analyzer.analyze({ cycle: options.type, window, asOf, dryRun: Boolean(options.dryRun), reads });
      findings.push(...found);
      report.analyzers.push({ name: analyzer.name, findings: found.length, durationMs: Math.round(performance.now() - began) });
    } catch (error) {
      const message = errorMessage(error);
      log.error({ err: error, analyzer: analyzer.name }, 'analyzer failed');
      report.analyzers.push({ name: analyzer.name, findings: 0, durationMs: Math.round(performance.now() - began), error: message });
      report.errors.push(`${analyzer.name}: ${message}`);
    }
    tell(options, {
      step: 'analyzer',
      run: report.analyzers[report.analyzers.length - 1]!,
      done: report.analyzers.length,
      of: selected.length,
    });
  }
  report.findings = findings.length;

  const actor = `cycle:${options.type}`;
  const touched: Proposal[] = [];
  // Drafts are written concurrently (a writer that calls an API bounds its own concurrency), then
  // filed one by one in the analyzers' order, so the report reads the same on every run.
  const unique = uniqueByFingerprint(findings);
  if (unique.length) tell(options, { step: 'filing', findings: unique.length });
  const plans = await Promise.all(unique.map((finding) => planFiling(finding, deps).catch((error: unknown) => ({ failed: error }))));
  // Trials run one at a time (the executor holds the repository for each) and at most this many per cycle.
  const trials = { left: options.dryRun || !deps.tryPatch ? 0 : MAX_PATCH_TRIALS_PER_CYCLE };
  for (const [i, finding] of unique.entries()) {
    const plan = plans[i]!;
    try {
      if ('failed' in plan) throw plan.failed;
      const filed = await fileFinding(finding, plan, deps, actor, Boolean(options.dryRun), report, trials);
      if (filed) touched.push(filed);
    } catch (error) {
      const message = errorMessage(error);
      log.error({ err: error, fingerprint: finding.fingerprint }, 'could not file finding');
      report.errors.push(`${finding.fingerprint}: ${message}`);
    }
  }

  if (options.autoExecute && !options.dryRun) {
    if (deps.decisions.canExecute()) report.autoExecuted.push(...(await autoExecute(touched, deps, cycleId, now())));
    // Approving on the policy's authority with nothing to execute would only pile up approvals.
    else report.autoExecuted.push({ id: '-', outcome: 'skipped: no executor is configured, so nothing was approved automatically' });
  }
  if (deps.verifyGains && !options.dryRun) {
    try {
      report.gains = await deps.verifyGains(asOf);
    } catch (error) {
      report.errors.push(`gain verification: ${errorMessage(error)}`);
    }
  }
  if (deps.measureOutcomes && !options.dryRun) {
    try {
      report.outcomes = await deps.measureOutcomes(asOf);
    } catch (error) {
      report.errors.push(`outcome measurement: ${errorMessage(error)}`);
    }
  }
  const usage = deps.writer.cycleUsage?.();
  if (usage) report.llmUsage = usage;
  report.finishedAt = now().toISOString();
  log.info(
    { findings: report.findings, created: report.created.length, updated: report.updated.length, errors: report.errors.length },
    'cycle finished',
  );
  return report;
}

/** The window's rows per table, and notes when it holds none; counting is best effort, never fatal. */
async function reportCoverage(deps: CycleDeps, window: AnalysisWindow, report: CycleReport, log: Logger): Promise<void> {
  if (!deps.coverage) return;
  try {
    const coverage = await deps.coverage(window);
    report.telemetry = coverage.map((table) => ({
      table: table.table,
      rowsInWindow: table.rowsInWindow,
      newest: table.newest?.toISOString() ?? null,
    }));
    const notes = coverageNotes(coverage, window);
    if (notes.length) {
      report.notes = notes;
      for (const note of notes) log.warn({ window: report.window }, note);
    }
  } catch (error) {
    log.warn({ err: error }, 'could not count the telemetry rows in the window');
  }
}

function tell(options: CycleOptions, event: CycleProgress): void {
  try {
    options.onProgress?.(event);
  } catch {
    // A progress line that cannot be written (a closed terminal) must not cost the cycle.
  }
}

/** A trial that could not run says so on the proposal; it never stops the finding from being filed. */
async function tryPatch(trial: NonNullable<CycleDeps['tryPatch']>, patch: string, declared: TrialDeclaration): Promise<PatchTrial> {
  try {
    return await trial(patch, declared);
  } catch (error) {
    return { passed: false, summary: `could not be tried: ${errorMessage(error)}`, at: new Date().toISOString() };
  }
}

function notify(deps: CycleDeps, proposal: Proposal, action: string, actor: string): Promise<void> {
  return notifyAll(deps.notifiers, proposal, { action, actor }, deps.logger, 'the proposal is filed');
}

function uniqueByFingerprint(findings: Finding[]): Finding[] {
  // Two analyzers (or two windows) reporting one fingerprint: keep the larger measurement.
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const seen = byKey.get(f.fingerprint);
    if (!seen || f.magnitude > seen.magnitude) byKey.set(f.fingerprint, f);
  }
  return [...byKey.values()];
}

function summary(
  p: { id: string; fingerprint: string; title: string; type: Proposal['type']; priority: Proposal['priority'] },
  reason: string,
): FiledProposal {
  return { id: p.id, fingerprint: p.fingerprint, title: p.title, type: p.type, priority: p.priority, reason };
}

type FilingPlan = { decision: FilingDecision; draft?: ProposalDraft };

async function planFiling(finding: Finding, deps: CycleDeps): Promise<FilingPlan> {
  const existing = await deps.store.findByFingerprint(finding.fingerprint);
  const decision = decideFiling(existing, finding, deps.settings.reproposeWorseningFactor);
  if (decision.action !== 'create') return { decision };
  // Whatever writer wrote the text, the subject, magnitude, series and knowledge entry are measured facts and come from the finding.
  const written = await deps.writer.write(finding);
  const draft: ProposalDraft = {
    ...written,
    magnitude: finding.magnitude,
    ...(finding.subject ? { subject: finding.subject } : {}),
    ...(finding.series ? { series: finding.series } : {}),
    ...(finding.knowledge ? { knowledge: finding.knowledge } : {}),
    ...(finding.upgrade ? { upgrade: finding.upgrade } : {}),
  };
  return { decision, draft };
}

async function fileFinding(
  finding: Finding,
  plan: FilingPlan,
  deps: CycleDeps,
  actor: string,
  dryRun: boolean,
  report: CycleReport,
  trials: { left: number },
): Promise<Proposal | null> {
  const { decision, draft } = plan;
  if (decision.action === 'suppress') {
    report.suppressed.push(summary(decision.proposal, decision.reason));
    return null;
  }
  if (decision.action === 'refresh') {
    if (dryRun) {
      report.updated.push(summary(decision.proposal, 'would update evidence'));
      return null;
    }
    // Drafting may have taken minutes: read again so a decision made meanwhile is seen, not overwritten.
    const current = await deps.store.get(decision.proposal.id);
    if (!current || current.status !== 'pending') {
      report.suppressed.push(summary(current ?? decision.proposal, `seen again; decided meanwhile (${current?.status ?? 'gone'})`));
      return null;
    }
    const refreshed = await deps.store.refresh({
      id: current.id,
      actor,
      reason: 'finding seen again',
      expectedVersion: current.version,
      refresh: { evidence: finding.evidence, priority: finding.priority, summary: finding.summary, magnitude: finding.magnitude },
    });
    report.updated.push(summary(refreshed, 'evidence updated'));
    await notify(deps, refreshed, 'evidence_updated', actor);
    return refreshed;
  }
  if (!draft) throw new Error(`no draft was written for ${finding.fingerprint}`);
  if (dryRun) {
    report.wouldCreate.push({
      id: '(dry run)',
      fingerprint: draft.fingerprint,
      title: draft.title,
      type: draft.type,
      priority: draft.priority,
      reason: decision.reason,
    });
    return null;
  }
  if (draft.patch && deps.tryPatch && trials.left > 0) {
    trials.left -= 1;
    draft.preflight = await tryPatch(deps.tryPatch, draft.patch, draft);
  }
  try {
    const created = await deps.store.create(draft, { actor });
    report.created.push(summary(created, decision.reason));
    await notify(deps, created, 'created', actor);
    return created;
  } catch (error) {
    // Another cycle filed the same finding a moment ago: that proposal stands, ours is not needed.
    if (error instanceof ConflictError) {
      report.suppressed.push({ ...summary({ ...draft, id: error.proposalId }, 'filed concurrently by another run') });
      return null;
    }
    throw error;
  }
}
