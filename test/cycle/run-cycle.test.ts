import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTemplateWriter } from '../../src/adapters/llm/offline/template-writer.ts';
import { createEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.ts';
import { renderMarkdown } from '../../src/cycle/report-files.ts';
import { runCycle, type CycleDeps } from '../../src/cycle/run-cycle.ts';
import { cycleWindow } from '../../src/cycle/window.ts';
import type { Finding } from '../../src/domain/finding.ts';
import { silentLogger } from '../../src/logging.ts';
import type { Analyzer, AnalysisContext, CycleType } from '../../src/ports/analyzer.ts';
import type { ProposalStore } from '../../src/ports/store.ts';
import { createDecisions } from '../../src/proposals/decisions.ts';
import { walkingExecutor } from '../helpers/walking-executor.ts';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    analyzer: 'performance',
    type: 'performance',
    fingerprint: 'performance:GET /api/orders/:id',
    title: 'GET /api/orders/:id is slow',
    summary: 'p95 is over the threshold.',
    evidence: [{ label: 'p95 latency', value: 2840, unit: 'ms' }],
    priority: 'high',
    magnitude: 1000,
    ...overrides,
  };
}

/** A test analyzer: returns the findings it is given and remembers the contexts it saw. */
function fixedAnalyzer(name: string, cycles: CycleType[], findings: () => Finding[]): Analyzer & { seen: AnalysisContext[] } {
  const seen: AnalysisContext[] = [];
  return {
    name,
    cycles,
    seen,
    async analyze(context) {
      seen.push(context);
      return findings();
    },
  };
}

describe('an improvement cycle', () => {
  let dir: string;
  let store: ProposalStore;
  let deps: Omit<CycleDeps, 'analyzers'>;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'il-cycle-'));
    store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
    const logger = silentLogger();
    deps = {
      store,
      writer: createTemplateWriter(),
      decisions: createDecisions({ store, logger }),
      settings: { autoExecute: false, maxAutoFixesPerDay: 5, reproposeWorseningFactor: 1.5 },
      logger,
    };
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs only the analyzers of its type over the window ending at the start of the as-of day', async () => {
    const daily = fixedAnalyzer('daily-one', ['daily'], () => []);
    const monthly = fixedAnalyzer('monthly-one', ['monthly'], () => []);
    const asOf = new Date('2026-03-10T15:00:00Z');
    const report = await runCycle({ type: 'daily', asOf }, { ...deps, analyzers: [daily, monthly] });
    expect(report.analyzers.map((a) => a.name)).toEqual(['daily-one']);
    expect(daily.seen[0]?.window).toEqual({ from: new Date('2026-03-09T00:00:00Z'), to: new Date('2026-03-10T00:00:00Z') });
    expect(monthly.seen).toHaveLength(0);
    const full = await runCycle({ type: 'full', asOf }, { ...deps, analyzers: [daily, monthly] });
    expect(full.analyzers.map((a) => a.name)).toEqual(['daily-one', 'monthly-one']);
    expect(cycleWindow('weekly', asOf).from).toEqual(new Date('2026-03-03T00:00:00Z'));
  });

  it('files a new finding as a pending proposal written by the template writer', async () => {
    const report = await runCycle({ type: 'daily' }, { ...deps, analyzers: [fixedAnalyzer('perf', ['daily'], () => [finding()])] });
    expect(report.created).toHaveLength(1);
    const proposal = await store.get(report.created[0]!.id);
    expect(proposal).toMatchObject({
      status: 'pending',
      type: 'performance',
      writtenBy: 'template',
      source: 'performance',
      magnitude: 1000,
    });
    // The summary says what was measured; the evidence is listed beside it, not repeated in it.
    expect(proposal?.summary).not.toContain('p95 latency: 2840 ms');
    expect(proposal?.evidence).toContainEqual(expect.objectContaining({ label: 'p95 latency', value: 2840 }));
    expect(proposal?.history[0]).toMatchObject({ actor: 'cycle:daily', action: 'created' });
  });

  it('updates the one open proposal when the same finding comes back in the next cycle', async () => {
    let p95 = 2840;
    const analyzer = fixedAnalyzer('perf', ['daily'], () => [finding({ evidence: [{ label: 'p95 latency', value: p95, unit: 'ms' }] })]);
    const first = await runCycle({ type: 'daily' }, { ...deps, analyzers: [analyzer] });
    p95 = 3100;
    const second = await runCycle({ type: 'daily' }, { ...deps, analyzers: [analyzer] });
    expect(second.created).toHaveLength(0);
    expect(second.updated.map((u) => u.id)).toEqual([first.created[0]!.id]);
    expect((await store.list({ limit: 10, offset: 0 })).total).toBe(1);
    const proposal = await store.get(first.created[0]!.id);
    expect(proposal?.evidence).toEqual([{ label: 'p95 latency', value: 3100, unit: 'ms' }]);
    expect(proposal?.history.map((h) => h.action)).toEqual(['created', 'evidence_updated']);
  });

  it('does not propose a rejected finding again unless it grew materially worse', async () => {
    let magnitude = 1000;
    const analyzer = fixedAnalyzer('perf', ['daily'], () => [finding({ magnitude })]);
    const first = await runCycle({ type: 'daily' }, { ...deps, analyzers: [analyzer] });
    await deps.decisions.reject({ id: first.created[0]!.id, actor: 'alice', reason: 'known, accepted', idempotencyKey: 'r1' });
    magnitude = 1400;
    const quiet = await runCycle({ type: 'daily' }, { ...deps, analyzers: [analyzer] });
    expect(quiet.created).toHaveLength(0);
    expect(quiet.suppressed[0]?.reason).toMatch(/rejected; magnitude 1400 is below 1500/);
    magnitude = 1600;
    const worse = await runCycle({ type: 'daily' }, { ...deps, analyzers: [analyzer] });
    expect(worse.created).toHaveLength(1);
    expect(worse.created[0]?.reason).toMatch(/grew from 1000 to 1600/);
  });

  it('reports a failing analyzer and still files what the others found', async () => {
    const broken: Analyzer = {
      name: 'broken',
      cycles: ['daily'],
      analyze: async () => {
        throw new Error('warehouse timed out');
      },
    };
    const report = await runCycle({ type: 'daily' }, { ...deps, analyzers: [broken, fixedAnalyzer('perf', ['daily'], () => [finding()])] });
    expect(report.errors).toEqual(['broken: warehouse timed out']);
    expect(report.analyzers.find((a) => a.name === 'broken')?.error).toBe('warehouse timed out');
    expect(report.created).toHaveLength(1);
  });

  it('writes nothing in a dry run but says what it would file', async () => {
    const report = await runCycle(
      { type: 'daily', dryRun: true },
      { ...deps, analyzers: [fixedAnalyzer('perf', ['daily'], () => [finding()])] },
    );
    expect(report.wouldCreate).toHaveLength(1);
    expect(report.created).toHaveLength(0);
    expect((await store.list({ limit: 10, offset: 0 })).total).toBe(0);
    expect((await store.counters())['proposed'] ?? 0).toBe(0);
  });

  it('auto-executes only what policy allows, within the daily quota', async () => {
    const executor = walkingExecutor(store);
    const findings = [
      finding({ type: 'bug_fix', priority: 'low', fingerprint: 'bug:a' }),
      finding({ type: 'bug_fix', priority: 'low', fingerprint: 'bug:b' }),
      finding({ type: 'bug_fix', priority: 'critical', fingerprint: 'bug:c' }),
      finding({ type: 'feature', priority: 'low', fingerprint: 'feature:d' }),
    ];
    const report = await runCycle(
      { type: 'daily', autoExecute: true },
      {
        ...deps,
        decisions: createDecisions({ store, logger: deps.logger, executor }),
        settings: { ...deps.settings, maxAutoFixesPerDay: 1 },
        analyzers: [fixedAnalyzer('mixed', ['daily'], () => findings)],
      },
    );
    expect(report.autoExecuted.map((a) => a.outcome)).toEqual(['implemented', 'skipped: daily auto-fix quota used up']);
    expect((await store.findByFingerprint('bug:a'))?.history.map((h) => [h.to, h.actor])).toEqual([
      ['pending', 'cycle:daily'],
      ['approved', 'policy:auto-execute'],
      ['executing', 'policy:auto-execute'],
      ['implemented', 'policy:auto-execute'],
    ]);
    for (const fp of ['bug:b', 'bug:c', 'feature:d']) expect((await store.findByFingerprint(fp))?.status).toBe('pending');
  });

  it("approves nothing on the policy's authority while no executor is configured", async () => {
    const report = await runCycle(
      { type: 'daily', autoExecute: true },
      {
        ...deps,
        analyzers: [fixedAnalyzer('bugs', ['daily'], () => [finding({ type: 'bug_fix', priority: 'low', fingerprint: 'bug:low' })])],
      },
    );
    expect(report.autoExecuted).toEqual([
      { id: '-', outcome: 'skipped: no executor is configured, so nothing was approved automatically' },
    ]);
    expect((await store.findByFingerprint('bug:low'))?.status).toBe('pending');
    expect((await store.counters())['decided:approved'] ?? 0).toBe(0);
  });

  it('compares a returning rejected finding with its size when it was last seen, not when first filed', async () => {
    let magnitude = 1000;
    const analyzer = fixedAnalyzer('perf', ['daily'], () => [finding({ magnitude })]);
    const first = await runCycle({ type: 'daily' }, { ...deps, analyzers: [analyzer] });
    magnitude = 10_000;
    await runCycle({ type: 'daily' }, { ...deps, analyzers: [analyzer] });
    await deps.decisions.reject({ id: first.created[0]!.id, actor: 'alice', reason: 'accepted risk', idempotencyKey: 'r-big' });
    magnitude = 1600;
    const after = await runCycle({ type: 'daily' }, { ...deps, analyzers: [analyzer] });
    expect(after.created).toEqual([]);
    expect(after.suppressed[0]?.reason).toMatch(/magnitude 1600 is below 15000/);
  });

  it('does not rewrite a proposal that was approved while its finding came back', async () => {
    const analyzer = fixedAnalyzer('perf', ['daily'], () => [finding()]);
    const first = await runCycle({ type: 'daily' }, { ...deps, analyzers: [analyzer] });
    await deps.decisions.approve({ id: first.created[0]!.id, actor: 'alice', idempotencyKey: 'a1' });
    const again = await runCycle({ type: 'daily' }, { ...deps, analyzers: [analyzer] });
    expect(again.updated).toEqual([]);
    expect(again.suppressed[0]?.reason).toMatch(/is approved, so its content is left as approved/);
    expect((await store.get(first.created[0]!.id))?.version).toBe(2);
  });

  it('tells the notifiers of each proposal it files and each one it updates', async () => {
    const told: [string, string, string][] = [];
    const notifiers = [
      {
        proposalChanged: async (p: { id: string }, change: { action: string; actor: string }) =>
          void told.push([p.id, change.action, change.actor]),
      },
    ];
    const analyzer = fixedAnalyzer('perf', ['daily'], () => [finding()]);
    const first = await runCycle({ type: 'daily' }, { ...deps, notifiers, analyzers: [analyzer] });
    await runCycle({ type: 'daily' }, { ...deps, notifiers, analyzers: [analyzer] });
    await runCycle({ type: 'daily', dryRun: true }, { ...deps, notifiers, analyzers: [analyzer] });
    const id = first.created[0]!.id;
    expect(told).toEqual([
      [id, 'created', 'cycle:daily'],
      [id, 'evidence_updated', 'cycle:daily'],
    ]);
  });

  it('files a proposal even when a notifier fails', async () => {
    const notifiers = [{ proposalChanged: async () => Promise.reject(new Error('slack is down')) }];
    const report = await runCycle(
      { type: 'daily' },
      { ...deps, notifiers, analyzers: [fixedAnalyzer('perf', ['daily'], () => [finding()])] },
    );
    expect(report.created).toHaveLength(1);
    expect(report.errors).toEqual([]);
  });

  it('tries drafted patches one at a time before filing and keeps each result on its proposal, also when the trial itself breaks', async () => {
    const template = createTemplateWriter();
    const writer = {
      name: 'patching',
      write: async (f: Finding) => ({ ...(await template.write(f)), patch: `--- a/${f.fingerprint}\n+++ b/${f.fingerprint}\n` }),
    };
    const tried: string[] = [];
    let active = 0;
    let mostAtOnce = 0;
    const tryPatch = async (patch: string) => {
      tried.push(patch);
      mostAtOnce = Math.max(mostAtOnce, ++active);
      await new Promise((r) => setTimeout(r, 20));
      active -= 1;
      if (patch.includes('broken')) throw new Error('worktree could not be made');
      return { passed: true, summary: '3 passed', at: '2026-11-24T00:00:00.000Z' };
    };
    const analyzer = fixedAnalyzer('bugs', ['daily'], () => [finding({ fingerprint: 'bug:fine' }), finding({ fingerprint: 'bug:broken' })]);
    await runCycle({ type: 'daily', dryRun: true }, { ...deps, writer, tryPatch, analyzers: [analyzer] });
    expect(tried).toEqual([]);
    await runCycle({ type: 'daily' }, { ...deps, writer, tryPatch, analyzers: [analyzer] });
    expect((await store.findByFingerprint('bug:fine'))?.preflight).toEqual({
      passed: true,
      summary: '3 passed',
      at: '2026-11-24T00:00:00.000Z',
    });
    expect((await store.findByFingerprint('bug:broken'))?.preflight).toMatchObject({
      passed: false,
      summary: 'could not be tried: worktree could not be made',
    });
    // One at a time: the executor holds the repository for each trial.
    expect(mostAtOnce).toBe(1);
  });

  it('lists the skipped analyzers of its type with their reason, and runs none of them', async () => {
    const perf = fixedAnalyzer('performance', ['daily'], () => []);
    const skipped = [
      {
        name: 'learning',
        cycles: ['daily', 'weekly'] as CycleType[],
        reason: 'skipped: the telemetry has no ai_learning.customer_interactions',
      },
      { name: 'monthly-only', cycles: ['monthly'] as CycleType[], reason: 'skipped: no table' },
    ];
    const report = await runCycle({ type: 'daily', dryRun: true }, { ...deps, analyzers: [perf], skipped });
    expect(report.analyzers.map((a) => a.name)).toEqual(['performance']);
    expect(report.skipped).toEqual([{ name: 'learning', reason: 'skipped: the telemetry has no ai_learning.customer_interactions' }]);
    expect(renderMarkdown(report)).toContain('| learning | - | - | skipped: the telemetry has no ai_learning.customer_interactions |');
    const full = await runCycle({ type: 'full', dryRun: true }, { ...deps, analyzers: [perf], skipped });
    expect(full.skipped?.map((a) => a.name)).toEqual(['learning', 'monthly-only']);
  });

  it('reports the rows in its window and, when there are none, the newest timestamp and how to reach data', async () => {
    const newest = new Date('2026-01-30T23:59:58Z');
    const seen: { from: Date; to: Date }[] = [];
    const coverage = async (window: { from: Date; to: Date }) => {
      seen.push(window);
      return [
        { table: 'performance.api_metrics', rowsInWindow: 0, newest },
        { table: 'logs.error_logs', rowsInWindow: 0, newest: new Date('2026-01-29T10:00:00Z') },
      ];
    };
    const asOf = new Date('2026-12-03T09:00:00Z');
    const report = await runCycle({ type: 'daily', asOf }, { ...deps, analyzers: [], coverage });
    expect(seen).toEqual([cycleWindow('daily', asOf)]);
    expect(report.telemetry).toEqual([
      { table: 'performance.api_metrics', rowsInWindow: 0, newest: '2026-01-30T23:59:58.000Z' },
      { table: 'logs.error_logs', rowsInWindow: 0, newest: '2026-01-29T10:00:00.000Z' },
    ]);
    expect(report.notes).toHaveLength(1);
    expect(report.notes![0]).toContain('No telemetry in the window 2026-12-02T00:00:00.000Z → 2026-12-03T00:00:00.000Z');
    expect(report.notes![0]).toContain('the newest row is 2026-01-30T23:59:58.000Z');
    expect(report.notes![0]).toContain('--as-of 2026-01-31T00:00:00.000Z');
    expect(report.notes![0]).toContain('TELEMETRY_DIR');
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('| performance.api_metrics | 0 | 2026-01-30T23:59:58.000Z |');
    expect(markdown).toContain('## Read this first');

    const covered = await runCycle(
      { type: 'daily', asOf },
      { ...deps, analyzers: [], coverage: async () => [{ table: 'performance.api_metrics', rowsInWindow: 12, newest }] },
    );
    expect(covered.notes).toBeUndefined();
    expect(covered.telemetry).toEqual([{ table: 'performance.api_metrics', rowsInWindow: 12, newest: newest.toISOString() }]);
  });

  it('still runs when counting the rows fails', async () => {
    const perf = fixedAnalyzer('perf', ['daily'], () => [finding()]);
    const report = await runCycle(
      { type: 'daily', dryRun: true },
      {
        ...deps,
        analyzers: [perf],
        coverage: async () => {
          throw new Error('disk gone');
        },
      },
    );
    expect(report.findings).toBe(1);
    expect(report.errors).toEqual([]);
    expect(report.telemetry).toBeUndefined();
  });
});
