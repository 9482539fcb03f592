import { createBugAnalyzer } from '../../src/analyzers/bugs/bug-analyzer.ts';
import { createFeatureAnalyzer } from '../../src/analyzers/features/feature-analyzer.ts';
import { createLearningAnalyzer } from '../../src/analyzers/learning/learning-analyzer.ts';
import { createPerformanceAnalyzer } from '../../src/analyzers/performance/performance-analyzer.ts';
import { loadConfig } from '../../src/config.ts';
import { DEMO_APP_ROOT, SAMPLE_END, sampleStart } from '../../src/demo/planted.ts';
import type { AnalysisContext } from '../../src/ports/analyzer.ts';
import type { KnowledgeEntry } from '../../src/ports/store.ts';
import type { TelemetryWarehouse } from '../../src/ports/warehouse.ts';

/**
 * What the four telemetry analyzers find on a generated sample, reduced to what must not change when
 * the reading of telemetry is rewritten: each finding's fingerprint, title, priority, magnitude and
 * evidence, and each knowledge entry written. findings-before-after.test.ts compares it with the
 * digest taken on main before the rewrite (fixtures/sample-findings-digest.json).
 */
export const DIGEST_SAMPLE = { metrics: 200_000, interactions: 30_000 } as const;

export interface FindingDigest {
  analyzer: string;
  fingerprint: string;
  title: string;
  priority: string;
  magnitude: number;
  evidence: Record<string, unknown>;
}

export async function sampleFindingsDigest(warehouse: TelemetryWarehouse) {
  const { analysis } = loadConfig({ LOG_LEVEL: 'silent' });
  const written: KnowledgeEntry[] = [];
  const analyzers = [
    createPerformanceAnalyzer({ warehouse, settings: { performanceThresholdMs: analysis.performanceThresholdMs } }),
    createBugAnalyzer({ warehouse, settings: analysis, appRoots: [DEMO_APP_ROOT] }),
    createLearningAnalyzer({ warehouse, knowledge: { put: async (entry) => void written.push(entry) }, settings: analysis }),
    createFeatureAnalyzer({ warehouse, settings: analysis }),
  ];
  const findings: FindingDigest[] = [];
  for (const cycle of ['daily', 'weekly'] as const) {
    const context: AnalysisContext = { cycle, window: windowOf(cycle), asOf: SAMPLE_END };
    for (const analyzer of analyzers.filter((a) => a.cycles.includes(cycle))) {
      for (const finding of await analyzer.analyze(context)) {
        findings.push({
          analyzer: `${cycle}:${finding.analyzer}`,
          fingerprint: finding.fingerprint,
          title: finding.title,
          priority: finding.priority,
          magnitude: finding.magnitude,
          evidence: Object.fromEntries(finding.evidence.map((e) => [e.label, e.value])),
        });
      }
    }
  }
  const knowledge = written.map((entry) => ({ category: entry.category, key: entry.key, content: entry.content }));
  return { findings, knowledge };
}

function windowOf(cycle: 'daily' | 'weekly') {
  const days = cycle === 'daily' ? 1 : 30;
  return { from: cycle === 'daily' ? new Date(SAMPLE_END.getTime() - days * 86_400_000) : sampleStart(), to: SAMPLE_END };
}

export const DIGEST_FIXTURE = new URL('./fixtures/sample-findings-digest.json', import.meta.url);
