/** The analyzers the service builds from its own telemetry and repository (src/telemetry.ts), by name. */
export const BUILT_IN_ANALYZERS = ['performance', 'bugs', 'learning', 'features', 'code_quality', 'security'] as const;
export type BuiltInAnalyzer = (typeof BUILT_IN_ANALYZERS)[number];

/** The telemetry tables each built-in analyzer reads (schema-qualified); code_quality and security read the repository. */
export const ANALYZER_TABLES: Record<BuiltInAnalyzer, readonly string[]> = {
  performance: ['performance.api_metrics'],
  bugs: ['logs.error_logs'],
  learning: ['ai_learning.customer_interactions'],
  features: ['ai_learning.customer_interactions'],
  code_quality: [],
  security: [],
};

/**
 * The built-in analyzers that cannot run on a warehouse holding only `tables` (undefined: all of
 * them), each with the reason the start line and the cycle report give.
 */
export function unavailableAnalyzers(tables: readonly string[] | undefined): Map<string, string> {
  const unavailable = new Map<string, string>();
  if (!tables) return unavailable;
  for (const name of BUILT_IN_ANALYZERS) {
    const absent = ANALYZER_TABLES[name].filter((table) => !tables.includes(table));
    if (absent.length) unavailable.set(name, `skipped: the telemetry has no ${absent.join(', ')}`);
  }
  return unavailable;
}
