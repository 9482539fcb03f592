import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, VARIABLES } from '../src/config.ts';

/**
 * A documented setting that no code reads misleads the operator who sets it (issue 17: operators set
 * APPROVAL_REQUIRED=false and believed approvals were off). Each variable must reach a Config field
 * in toConfig, and that field must be read somewhere outside config.ts.
 */
const SRC = path.resolve('src');
const configText = readFileSync(path.join(SRC, 'config.ts'), 'utf8');
const toConfigText = configText.slice(configText.indexOf('function toConfig('));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && full !== path.join(SRC, 'config.ts') ? [full] : [];
  });
}
const elsewhere = sourceFiles(SRC)
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

/** Read where they are: by loadConfig itself, not through a Config field. */
const READ_BY_LOAD_CONFIG = new Set(['CONFIG_FILE']);

/** The Config fields a variable is written to: the nearest `field:` before `raw.NAME` in toConfig. */
function fieldsOf(name: string): string[] {
  const fields = new Set<string>();
  for (const m of toConfigText.matchAll(new RegExp(`(\\w+)\\s*:\\s*\\(?[^,:{}\\n]*?raw\\.${name}\\b`, 'g'))) fields.add(m[1]!);
  return [...fields];
}

describe('every documented setting', () => {
  it('is read by code outside config.ts', () => {
    const unread = Object.keys(VARIABLES).filter((name) => {
      if (READ_BY_LOAD_CONFIG.has(name)) return false;
      const fields = fieldsOf(name);
      // A variable used only to shape another field (e.g. which Slack transport) counts through that field.
      const used = fields.some((field) => new RegExp(`(\\.|\\{\\s*|,\\s*)${field}\\b`).test(elsewhere));
      return !used;
    });
    expect(unread).toEqual([]);
  });
});

describe('the settings that were read by nothing', () => {
  it('stop the start when their value contradicts the setting that does their job, naming it', () => {
    expect(() => loadConfig({ APPROVAL_REQUIRED: 'false' })).toThrow(/APPROVAL_REQUIRED: no longer read .*REQUIRE_APPROVAL/);
    expect(() => loadConfig({ TEST_REQUIRED: 'false' })).toThrow(/TEST_REQUIRED: no longer read .*REQUIRE_TESTS/);
    expect(() => loadConfig({ ANALYSIS_INTERVAL_HOURS: '6' })).toThrow(/ANALYSIS_INTERVAL_HOURS: no longer read .*SCHEDULE_DAILY/);
  });

  it('are accepted where they agree with their successor, so an old .env still starts', () => {
    const config = loadConfig({ APPROVAL_REQUIRED: 'true', TEST_REQUIRED: 'true', ANALYSIS_INTERVAL_HOURS: '24' });
    expect(config.safety).toMatchObject({ requireApproval: true, requireTests: true });
    expect(loadConfig({ APPROVAL_REQUIRED: 'false', REQUIRE_APPROVAL: 'false' }).safety.requireApproval).toBe(false);
  });
});
