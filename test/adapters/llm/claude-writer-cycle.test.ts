import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../../src/adapters/llm/anthropic/models.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { runCycle } from '../../../src/cycle/run-cycle.ts';
import type { Finding } from '../../../src/domain/finding.ts';
import { silentLogger } from '../../../src/logging.ts';
import type { Analyzer } from '../../../src/ports/analyzer.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { createDecisions } from '../../../src/proposals/decisions.ts';
import { computeMetrics } from '../../../src/proposals/metrics.ts';
import { findingOf, startHarness, validAnswer, type Harness } from './writer-harness.ts';

function fixedAnalyzer(findings: Finding[]): Analyzer {
  return { name: 'fixed', cycles: ['daily'], analyze: async () => findings };
}

describe('a cycle written by Claude', () => {
  let dir: string;
  let store: ProposalStore;
  let harness: Harness | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'il-claude-cycle-'));
    store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
  });
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function cycle(writer: Harness['writer'], findings: Finding[]) {
    const logger = silentLogger();
    return runCycle(
      { type: 'daily' },
      {
        store,
        analyzers: [fixedAnalyzer(findings)],
        writer,
        decisions: createDecisions({ store, logger }),
        settings: { autoExecute: false, maxAutoFixesPerDay: 5, reproposeWorseningFactor: 1.5 },
        logger,
      },
    );
  }

  it("keeps each proposal's tokens and cost with it, and the metrics add them up", async () => {
    harness = await startHarness({ concurrency: 2 });
    harness.fake.setResponder(() => ({
      toolUse: validAnswer('learning'),
      usage: { input_tokens: 1000, output_tokens: 500, cache_creation_input_tokens: 0, cache_read_input_tokens: 200 },
    }));
    const findings = Array.from({ length: 3 }, () => findingOf('learning'));
    harness.writer.beginCycle();
    const report = await cycle(harness.writer, findings);
    const stored = await store.findByFingerprint(findings[0]!.fingerprint);
    expect(stored?.writerUsage).toMatchObject({
      model: DEFAULT_MODEL,
      requests: 1,
      inputTokens: 1000,
      outputTokens: 500,
      cacheReadInputTokens: 200,
    });
    const { llm } = await computeMetrics(store);
    expect(llm).toMatchObject({ proposalsWritten: 3, requests: 3, inputTokens: 3000, outputTokens: 1500, cacheReadTokens: 600 });
    expect(llm.costUsd).toBeCloseTo(report.llmUsage!.costUsd!, 6);
    expect(llm.costUsd).toBeGreaterThan(0);
  });

  it('drafts concurrently, overshooting the budget by at most the requests already in flight', async () => {
    harness = await startHarness({ cycleTokenBudget: 3000, concurrency: 4 });
    harness.fake.setResponder(() => ({
      toolUse: validAnswer('learning'),
      usage: { input_tokens: 1000, output_tokens: 500, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }));
    const findings = Array.from({ length: 6 }, () => findingOf('learning'));
    harness.writer.beginCycle();
    const report = await cycle(harness.writer, findings);
    expect(report.errors).toEqual([]);
    expect(report.created).toHaveLength(6);
    // The budget pays for 2 requests of 1500 tokens; up to 3 more may already be on their way.
    const sent = harness.fake.requests.length;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThanOrEqual(2 + 3);
    expect(report.llmUsage).toMatchObject({ writtenByModel: sent, fallbacks: 6 - sent, budgetExhausted: true });
  });

  it('writes the remaining findings offline once the token budget is spent, and the cycle completes', async () => {
    // One request at a time, so the budget is known spent before the next starts; with more in
    // flight a cycle may overshoot by the requests already sent (see the next test).
    harness = await startHarness({ cycleTokenBudget: 3000, concurrency: 1 });
    harness.fake.setResponder(() => ({
      toolUse: validAnswer('learning'),
      usage: { input_tokens: 1000, output_tokens: 500, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    }));
    const findings = Array.from({ length: 5 }, () => findingOf('learning'));

    harness.writer.beginCycle();
    const report = await cycle(harness.writer, findings);

    expect(report.errors).toEqual([]);
    expect(report.created).toHaveLength(5);
    const writtenBy = await Promise.all(findings.map(async (f) => (await store.findByFingerprint(f.fingerprint))?.writtenBy));
    expect(writtenBy).toEqual([
      DEFAULT_MODEL,
      DEFAULT_MODEL,
      ...Array(3).fill('template (fallback: cycle token budget of 3000 tokens used up)'),
    ]);
    expect(harness.fake.requests).toHaveLength(2);
    expect(harness.writer.cycleUsage()).toEqual({
      model: DEFAULT_MODEL,
      writtenByModel: 2,
      fallbacks: 3,
      fallbackReasons: { 'cycle token budget of 3000 tokens used up': 3 },
      requests: 2,
      inputTokens: 2000,
      outputTokens: 1000,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: 0,
      totalTokens: 3000,
      costUsd: (2000 * 2 + 1000 * 10) / 1e6,
      tokenBudget: 3000,
      budgetExhausted: true,
    });
    for (const f of findings) expect((await store.findByFingerprint(f.fingerprint))?.status).toBe('pending');
  });

  it('completes a cycle with every proposal written offline while the API is down', async () => {
    harness = await startHarness({ maxRetries: 1 });
    harness.fake.setResponder(() => ({
      error: { status: 529, type: 'overloaded_error', message: 'Overloaded' },
      headers: { 'retry-after-ms': '1' },
    }));
    const findings = [findingOf('feature'), findingOf('bug_fix'), findingOf('performance')];

    harness.writer.beginCycle();
    const report = await cycle(harness.writer, findings);

    expect(report.errors).toEqual([]);
    expect(report.created).toHaveLength(3);
    for (const f of findings) {
      expect(await store.findByFingerprint(f.fingerprint)).toMatchObject({
        status: 'pending',
        writtenBy: 'template (fallback: Anthropic API 529 overloaded_error)',
      });
    }
    expect(harness.writer.cycleUsage()).toMatchObject({ writtenByModel: 0, fallbacks: 3, requests: 3, costUsd: 0 });
  });
});
