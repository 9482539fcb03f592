/**
 * A setting that cannot be used, naming every wrong variable. Apart from config.ts so that the CLI's
 * error mapping and the .env reader can know it without loading the schema (zod) at every start.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
