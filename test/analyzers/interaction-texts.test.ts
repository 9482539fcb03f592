import { describe, expect, it } from 'vitest';
import { createFeatureAnalyzer } from '../../src/analyzers/features/feature-analyzer.ts';
import { createLearningAnalyzer } from '../../src/analyzers/learning/learning-analyzer.ts';
import { createCycleReads } from '../../src/cycle/cycle-reads.ts';
import type { AnalysisContext } from '../../src/ports/analyzer.ts';
import { createMemoryWarehouse } from '../helpers/memory-warehouse.ts';
import { AS_OF, DAY, plantedDay } from './learning/planted-interactions.ts';

describe('the interaction texts of a cycle', () => {
  it('are read once for learning and features in one cycle, and again in the next cycle', async () => {
    const inner = createMemoryWarehouse({ interactions: plantedDay() });
    let fetches = 0;
    const warehouse = { ...inner, interactionTexts: (window: typeof DAY, cap: number) => (fetches++, inner.interactionTexts(window, cap)) };
    const analyzers = [
      createLearningAnalyzer({ warehouse, settings: { minInteractionsForLearning: 10 } }),
      createFeatureAnalyzer({ warehouse, settings: { minFeatureRequestsForProposal: 3 } }),
    ];
    const cycle = (): AnalysisContext => ({ cycle: 'weekly', window: DAY, asOf: AS_OF, reads: createCycleReads() });
    const first = cycle();
    for (const analyzer of analyzers) await analyzer.analyze(first);
    expect(fetches).toBe(1);
    const second = cycle();
    for (const analyzer of analyzers) await analyzer.analyze(second);
    expect(fetches).toBe(2);
    // Outside a cycle each analyzer reads for itself.
    for (const analyzer of analyzers) await analyzer.analyze({ cycle: 'weekly', window: DAY, asOf: AS_OF });
    expect(fetches).toBe(4);
  });
});
