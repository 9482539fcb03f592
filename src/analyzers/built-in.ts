/** The analyzers the service builds from its own telemetry and repository (src/telemetry.ts), by name. */
export const BUILT_IN_ANALYZERS = ['performance', 'bugs', 'learning', 'features', 'code_quality'] as const;
