import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config-error.ts';

/** What a `.env` file gave: where it was and which names it set (never their values, which may be secrets). */
export interface EnvFileLoad {
  file: string;
  /** Names taken from the file. */
  applied: string[];
  /** Names the file also sets that the environment already had: the environment wins. */
  overridden: string[];
}

/**
 * Reads `.env` in `cwd` into `env` before the configuration is validated, so the server and the CLI
 * see the same settings (.env.example says "Copy to .env"). A variable the environment already sets
 * wins over the file; a blank one counts as unset, as it does in config.ts, so `VAR=` exported by a
 * compose file does not hide the file's value. `env` is changed in place: for process.env that means
 * child processes (the executor's test runs) see the settings too, as they would see exported ones.
 * Returns undefined when there is no `.env`.
 */
export function applyEnvFile(env: NodeJS.ProcessEnv, cwd: string): EnvFileLoad | undefined {
  const file = path.resolve(cwd, '.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // A .env that exists but cannot be read would silently drop every setting in it: say so instead.
    throw new ConfigError([`.env: cannot read ${file} (${code ?? 'error'})`]);
  }
  const load: EnvFileLoad = { file, applied: [], overridden: [] };
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined) continue;
    if (isSet(env[name])) {
      load.overridden.push(name);
      continue;
    }
    env[name] = value;
    load.applied.push(name);
  }
  return load;
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

/** One line for a start-up banner: which file, how many settings, which the environment overrode. */
export function describeEnvFile(load: EnvFileLoad): string {
  const overridden = load.overridden.length ? `; the environment overrides ${load.overridden.join(', ')}` : '';
  return `${load.file} (${load.applied.length} setting${load.applied.length === 1 ? '' : 's'}${overridden})`;
}
