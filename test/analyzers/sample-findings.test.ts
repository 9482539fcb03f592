import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeatureAnalyzer } from '../../src/analyzers/features/feature-analyzer.ts';
import { createLearningAnalyzer } from '../../src/analyzers/learning/learning-analyzer.ts';
import { createDuckDbWarehouse } from '../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import {
  PLANTED_FEATURE_THEMES,
  PLANTED_KNOWLEDGE_GAP,
  PLANTED_WELL_ANSWERED,
  SAMPLE_END,
  plantedInteractionCount,
  plantedOutcomeCounts,
  sampleStart,
} from '../../src/demo/planted.ts';
import { generateSampleTelemetry } from '../../src/demo/sample-telemetry.ts';
import type { Finding } from '../../src/domain/finding.ts';
import type { AnalysisContext } from '../../src/ports/analyzer.ts';
import type { KnowledgeEntry } from '../../src/ports/store.ts';
import type { TelemetryWarehouse } from '../../src/ports/warehouse.ts';

/**
 * The learning and feature analyzers on a generated sample, read through DuckDB, against the
 * ground truth in planted.ts. Every text of the window is read (both fetch caps exceed the sample),
 * so the numbers are exact, not estimates.
 */
const INTERACTIONS = 20_000;
const context: AnalysisContext = { cycle: 'weekly', window: { from: sampleStart(), to: SAMPLE_END }, asOf: SAMPLE_END };

let dir: string;
let warehouse: TelemetryWarehouse;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sample-findings-'));
  await generateSampleTelemetry(path.join(dir, 'telemetry'), { interactions: INTERACTIONS, metrics: 50_000 });
  warehouse = await createDuckDbWarehouse({ telemetryDir: path.join(dir, 'telemetry'), writeDir: dir, threads: 2 });
}, 60_000);

afterAll(async () => {
  await warehouse?.close();
  await rm(dir, { recursive: true, force: true });
});

const evidence = (finding: Finding) => Object.fromEntries(finding.evidence.map((e) => [e.label, e.value]));

describe('the analyzers on the bundled sample', () => {
  it('finds the planted knowledge gap with its exact size and outcome rates, and learns the password-reset answer', async () => {
    const written: KnowledgeEntry[] = [];
    const analyzer = createLearningAnalyzer({
      warehouse,
      knowledge: { put: async (entry) => void written.push(entry) },
      settings: { minInteractionsForLearning: 100 },
    });
    const findings = await analyzer.analyze(context);

    const gaps = findings.filter((f) => f.fingerprint.startsWith('learning:gap:'));
    expect(gaps).toHaveLength(1);
    const [gap] = gaps as [Finding];
    const size = plantedInteractionCount(PLANTED_KNOWLEDGE_GAP.share, INTERACTIONS);
    const outcomes = plantedOutcomeCounts(PLANTED_KNOWLEDGE_GAP, INTERACTIONS);
    expect(gap.magnitude).toBe(size);
    // Named by a phrase its questions use, not by a list of stems.
    expect(gap.title).toMatch(/^Knowledge gap: annual plans? \(/);
    expect(String(evidence(gap)['distinctive words'])).toMatch(/refund/);
    expect(String(evidence(gap)['distinctive words'])).toMatch(/annual/);
    const failures = findings.filter((f) => f.fingerprint.startsWith('learning:failure:')).map((f) => f.title);
    expect(failures).toContainEqual(expect.stringMatching(/^Failure mode: speak to a real person \(/));
    for (const title of failures) expect(title).not.toMatch(/“[a-z]+ [a-z]+ [a-z]+”/);
    const stats = (gap.details as { stats: { outcomes: Record<string, number>; uncertainAnswers: number } }).stats;
    // Exact: every unsure answer of the window is in the topic, with the planted outcome counts.
    expect(stats.uncertainAnswers).toBe(size);
    expect(stats.outcomes).toEqual(outcomes);
    expect(outcomes.escalated! / size).toBeCloseTo(PLANTED_KNOWLEDGE_GAP.outcomes.escalated, 2);
    expect(outcomes.unresolved! / size).toBeCloseTo(PLANTED_KNOWLEDGE_GAP.outcomes.unresolved, 2);
    expect(evidence(gap)).not.toHaveProperty('text cap');

    const answers = written.filter((e) => e.category !== 'customer-profile');
    const reset = answers.find((e) => e.category.includes('password'));
    expect(reset).toBeDefined();
    const content = reset!.content as { answer: string; interactions: number };
    expect(content.answer).toContain(PLANTED_WELL_ANSWERED.answerPhrase);
    expect(content.interactions).toBe(plantedInteractionCount(PLANTED_WELL_ANSWERED.share, INTERACTIONS));
  }, 60_000);

  it('reports the three planted feature themes with their exact counts, in value order', async () => {
    const analyzer = createFeatureAnalyzer({ warehouse, settings: { minFeatureRequestsForProposal: 10 } });
    const findings = await analyzer.analyze(context);
    expect(findings).toHaveLength(PLANTED_FEATURE_THEMES.length);
    const themeOf = (finding: Finding) => {
      const label = (finding.details as { label: string[] }).label.map((w) => w.toLowerCase());
      return PLANTED_FEATURE_THEMES.find((theme) => theme.keywords.some((keyword) => label.includes(keyword)));
    };
    for (const finding of findings) {
      const theme = themeOf(finding);
      expect(theme, finding.title).toBeDefined();
      expect(finding.magnitude).toBe(plantedInteractionCount(theme!.share, INTERACTIONS));
      expect(finding.title).not.toMatch(/newest/);
    }
    expect(new Set(findings.map((f) => themeOf(f)!.key)).size).toBe(3);
    expect(findings.map((f) => f.title.replace(/ \(.*$/, ''))).toEqual([
      'Customers ask for SAML SSO',
      'Customers ask for CSV export',
      'Customers ask for dark mode',
    ]);
    const scores = findings.map((f) => (f.details as { score: number }).score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect((findings[0]!.details as { rank: number }).rank).toBe(1);
  }, 60_000);
});
