import { describe, expect, it } from 'vitest';
import { BUILT_IN_ANALYZERS, unavailableAnalyzers } from '../../src/analyzers/built-in.ts';

describe('the built-in analyzers', () => {
  it('all run when the warehouse holds every table, or does not say which it holds', () => {
    expect(unavailableAnalyzers(undefined).size).toBe(0);
    expect(unavailableAnalyzers(['ai_learning.customer_interactions', 'performance.api_metrics', 'logs.error_logs']).size).toBe(0);
  });

  it('skip the ones whose table is absent, naming the table', () => {
    const unavailable = unavailableAnalyzers(['performance.api_metrics', 'logs.error_logs']);
    expect([...unavailable]).toEqual([
      ['learning', 'skipped: the telemetry has no ai_learning.customer_interactions'],
      ['features', 'skipped: the telemetry has no ai_learning.customer_interactions'],
    ]);
    // code_quality and security read the repository, so even a warehouse without tables leaves them running.
    expect([...unavailableAnalyzers([]).keys()]).toEqual(
      BUILT_IN_ANALYZERS.filter((name) => name !== 'code_quality' && name !== 'security'),
    );
  });
});
