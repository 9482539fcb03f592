import type { Finding } from '../../domain/finding.ts';
import type { Analyzer } from '../../ports/analyzer.ts';
import type { KnowledgeEntry } from '../../ports/store.ts';
import type { TelemetryWarehouse } from '../../ports/warehouse.ts';
import { interactionTextsOnce, NO_TEXT_CAP } from '../interaction-texts.ts';
import { knowledgeEntries } from './knowledge-entries.ts';
import { learningFindings } from './learning-findings.ts';
import { learnFromGroups, learnFromInteractions, type LearningOptions } from './learning-report.ts';

/** Where learned answers and profiles go; the stores' `putKnowledge` fits. */
export interface KnowledgeSink {
  put(entry: KnowledgeEntry): Promise<void>;
}

export interface LearningAnalyzerDeps {
  warehouse: TelemetryWarehouse;
  /**
   * Omit it in dry runs: the analyzer writes knowledge only through this, and only when it is given.
   * A dry run (context.dryRun) writes no knowledge either.
   */
  knowledge?: KnowledgeSink;
  settings: { minInteractionsForLearning: number };
  /**
   * Interaction texts fetched per cycle (default: every text of the window). A warehouse with a
   * grouped read (interactionGroups) then groups them in SQL and learning works on distinct
   * conversations; otherwise the texts are read once per cycle with the feature analyzer and grouped
   * in memory. The topic clustering runs on a sample (options.topicSampleSize, 2000) and then assigns
   * every conversation to a topic.
   */
  textCap?: number;
  /** Thresholds of the topic analysis; the defaults are documented in learning-report.ts. */
  options?: LearningOptions;
}

export const DEFAULT_LEARNING_TEXT_CAP = NO_TEXT_CAP;

/**
 * Learns from customer interactions: knowledge gaps and failure modes become findings; answers that
 * worked and customer profiles go to the knowledge base. Below `minInteractionsForLearning`
 * interactions in the window it does nothing at all: no texts fetched, no findings, no writes.
 */
export function createLearningAnalyzer(deps: LearningAnalyzerDeps): Analyzer {
  return {
    name: 'learning',
    cycles: ['daily', 'weekly'],
    async analyze(context): Promise<Finding[]> {
      const stats = await deps.warehouse.interactionStats(context.window);
      const interactions = stats.reduce((sum, s) => sum + s.interactions, 0);
      if (interactions < deps.settings.minInteractionsForLearning) return [];
      const cap = deps.textCap ?? DEFAULT_LEARNING_TEXT_CAP;
      const grouped = deps.warehouse.interactionGroups?.bind(deps.warehouse);
      // Grouped in the warehouse when it can (every row, no cap): memory grows with distinct conversations.
      const report =
        grouped && cap === NO_TEXT_CAP
          ? await learnFromGroups(stats, (plan) => grouped(context.window, plan), cap, deps.options)
          : learnFromInteractions(stats, await interactionTextsOnce(context, deps.warehouse, cap), deps.options);
      const dryRun = context.dryRun === true;
      if (deps.knowledge && !dryRun) {
        // One at a time: a store that fails stops the writes at the first error, which fails the
        // analyzer in the cycle report rather than leaving a half-written batch unnoticed.
        for (const entry of knowledgeEntries(report, context.window, context.asOf)) await deps.knowledge.put(entry);
      }
      return learningFindings(report);
    },
  };
}
