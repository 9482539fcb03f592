import type { KnownBlock } from '@slack/types';
import type { MetricsReport } from '../../../proposals/metrics.ts';
import { fields, header } from './block-builders.ts';

/** The seed's metrics as fields: used by `/improve metrics` and the App Home. */
export function metricsBlocks(report: MetricsReport, title = 'Improvement metrics'): KnownBlock[] {
  const m = report.metrics;
  const gains = report.performanceGains;
  const rate = m.executionSuccessRate === null ? 'n/a' : `${Math.round(m.executionSuccessRate * 100)}%`;
  return [
    header(title),
    ...fields([
      `*Proposed*\n${m.improvementsProposed}`,
      `*Approved · rejected*\n${m.improvementsApproved} · ${m.improvementsRejected}`,
      `*Implemented*\n${m.improvementsImplemented}`,
      `*Failed · rolled back*\n${m.improvementsFailed} · ${m.improvementsRolledBack}`,
      `*Execution success*\n${rate}`,
      `*Bugs fixed / found*\n${m.bugsFixed} / ${m.bugsDetected}`,
      `*Features built / found*\n${m.featuresImplemented} / ${m.featuresDiscovered}`,
      `*Performance wins*\n${m.performanceImprovements} (${gains.optimizedEndpoints} endpoints, ${Math.round(gains.totalResponseTimeReduced)} ms)`,
      `*Tests · docs generated*\n${m.testsGenerated} · ${m.docsGenerated}`,
      `*Stored now*\n${report.proposals.total} (${report.proposals.byStatus.pending ?? 0} pending)`,
    ]),
  ];
}
