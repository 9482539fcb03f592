/**
 * Regenerates the configuration table in README.md (between the config markers) and .env.example
 * from the schema in src/config.ts. Run after adding a variable: `npx tsx scripts/config-docs.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VARIABLES } from '../src/config.ts';

const root = path.resolve(import.meta.dirname, '..');
const entries = Object.entries(VARIABLES) as [string, { default?: string; description: string; secret?: boolean }][];

const table = [
  '| Variable | Default | What it does |',
  '|---|---|---|',
  ...entries.map(
    ([name, v]) =>
      `| \`${name}\` | ${v.default === undefined || v.default === '' ? '(unset)' : `\`${v.default}\``} | ${v.description}${v.secret ? ' (secret: never logged)' : ''} |`,
  ),
].join('\n');

const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- config:start -->';
const end = '<!-- config:end -->';
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
if (readme.indexOf(start) < 0 || readme.indexOf(end) < 0) throw new Error('README.md lacks the config markers');
writeFileSync(readmePath, `${before}\n${table}\n${after}`);

const example = [
  '# improvement-loop configuration. Every variable is optional; the values shown are the defaults.',
  '# Copy to .env in the directory you start the server or the CLI from (both read it), or export them;',
  '# a JSON file named by CONFIG_FILE may hold the same names. Which wins: an exported (non-blank)',
  "# variable, then .env, then CONFIG_FILE. The server's first lines and an empty `proposals list`",
  '# name the .env they read. Keep the CLI and the server on one DATA_DIR (or REDIS_URL), or the CLI',
  '# opens a store of its own.',
  '',
  ...entries.flatMap(([name, v]) => [
    `# ${v.description}`,
    `${v.default === undefined || v.default === '' ? '# ' : ''}${name}=${v.default ?? ''}`,
    '',
  ]),
].join('\n');
writeFileSync(path.join(root, '.env.example'), example);
console.log(`wrote ${entries.length} variables to README.md and .env.example`);
