import path from 'node:path';
import type { Config } from '../config.ts';
import type { EnvFileLoad } from '../env-file.ts';

/** Which store this process opened, in words a person can compare with the server's: a path, or a Redis URL without its password. */
export function describeStore(config: Config): string {
  if (!config.redis.url) return `the embedded store at ${path.join(config.dataDir, 'store.sqlite')}`;
  const prefix = config.redis.keyPrefix ? ` (key prefix "${config.redis.keyPrefix}")` : '';
  return `Redis at ${withoutPassword(config.redis.url)}${prefix}`;
}

/** A URL that can be printed: the password (and a user-only token) replaced, anything unparsable not shown. */
export function withoutPassword(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(an unparsable REDIS_URL)';
  }
  if (parsed.password) parsed.password = '***';
  // redis://token@host: a lone user part is the password for some providers.
  else if (parsed.username) parsed.username = '***';
  return parsed.toString();
}

/** The hint after an empty list: how to point the CLI at the store a server uses. */
export function whereTheServerKeepsIt(envFile: EnvFileLoad | undefined): string {
  const from = envFile ? `the environment and ${envFile.file}` : 'the environment (no .env in this directory)';
  return (
    `This command read its settings from ${from}. If a server files the proposals, use the same store it does: ` +
    'DATA_DIR=<its data directory> for the embedded store, or REDIS_URL=<its Redis> (and REDIS_KEY_PREFIX), ' +
    'exported or in .env where you run the command.'
  );
}
