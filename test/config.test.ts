import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import type { Variable } from '../src/config-variables.ts';
import { ConfigError, loadConfig, VARIABLES } from '../src/config.ts';

describe('configuration', () => {
  it('starts on the seed defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4002);
    expect(config.redis.url).toBeUndefined();
    expect(config.enableSelfImprovement).toBe(false);
    expect(config.analysis).toMatchObject({
      minInteractionsForLearning: 100,
      minErrorsForBugReport: 5,
      minFeatureRequestsForProposal: 3,
      performanceThresholdMs: 2000,
      maxAutoFixesPerDay: 5,
    });
    expect(config.safety).toEqual({
      requireApproval: true,
      requireTests: true,
      requireReview: true,
      allowProductionDeploy: false,
      maxChangesPerProposal: 10,
      maxLinesPerChange: 500,
    });
    // A trial installs from the npm cache first and downloads only what it lacks, as the install always could.
    expect(config.execution.install).toMatchObject({ network: 'registry', timeoutMs: 180_000 });
  });

  it('counts every deploy marker for outcomes unless OUTCOME_DEPLOY_ENVIRONMENT names one environment', () => {
    expect(loadConfig({}).outcomes).toEqual({ windowDays: 7, alpha: 0.05 });
    expect(loadConfig({ OUTCOME_DEPLOY_ENVIRONMENT: ' production ' }).outcomes).toEqual({
      windowDays: 7,
      alpha: 0.05,
      deployEnvironment: 'production',
    });
  });

  it('stops on a wrong value with a message naming the variable and what is allowed', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT: .*number.*\(got "abc"\)/);
    expect(() => loadConfig({ ENABLE_SELF_IMPROVEMENT: 'maybe' })).toThrow(/ENABLE_SELF_IMPROVEMENT: must be true or false/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: .*"info"/);
    expect(() => loadConfig({ CURRENCY: 'dollars' })).toThrow(/CURRENCY: an ISO 4217 currency code/);
  });

  it('reads the currency of revenue figures, USD unless set, in any case', () => {
    expect(loadConfig({}).analysis.currency).toBe('USD');
    expect(loadConfig({ CURRENCY: ' eur ' }).analysis.currency).toBe('EUR');
  });

  it('has default crons that cron-parser reads (the schema takes them without parsing) and refuses a wrong one', () => {
    const variables: Record<string, Variable> = VARIABLES;
    const crons = Object.entries(variables).filter(([name, v]) => name.startsWith('SCHEDULE_') && /\*/.test(v.default ?? ''));
    expect(crons.length).toBeGreaterThanOrEqual(6);
    for (const [name, variable] of crons) expect(() => CronExpressionParser.parse(variable.default!), name).not.toThrow();
    expect(() => loadConfig({ SCHEDULE_DAILY: '61 2 * * *' })).toThrow(/SCHEDULE_DAILY: a five-field cron/);
    expect(loadConfig({ SCHEDULE_DAILY: '15 3 * * *' }).schedule.daily).toBe('15 3 * * *');
  });

  it('treats a blank value as unset and takes only plain whole numbers', () => {
    const config = loadConfig({ PORT: '', REQUIRE_APPROVAL: ' ', LLM_CYCLE_TOKEN_BUDGET: '', MAX_AUTO_FIXES_PER_DAY: '' });
    expect(config.port).toBe(4002);
    expect(config.safety.requireApproval).toBe(true);
    expect(config.llm.cycleTokenBudget).toBe(500000);
    expect(config.analysis.maxAutoFixesPerDay).toBe(5);
    expect(() => loadConfig({ PERFORMANCE_THRESHOLD_MS: '0x10' })).toThrow(/PERFORMANCE_THRESHOLD_MS: must be a whole number/);
    expect(() => loadConfig({ PORT: '1e3' })).toThrow(/PORT: must be a whole number/);
  });

  it('names every wrong variable at once, and never shows a secret value', () => {
    try {
      loadConfig({ PORT: '70000', MAX_LINES_PER_CHANGE: '-1', API_TOKENS: 42 as unknown as string });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('MAX_LINES_PER_CHANGE');
    }
    expect(() => loadConfig({ REDIS_KEY_PREFIX: 'bad prefix!' })).toThrow(/REDIS_KEY_PREFIX/);
    expect(() => loadConfig({ ERROR_REDIS_KEY: 'errors:recent' })).toThrow(/ERROR_REDIS_KEY: needs ERROR_REDIS_URL or REDIS_URL/);
    expect(loadConfig({ ERROR_REDIS_KEY: 'errors:recent', REDIS_URL: 'redis://127.0.0.1:6379' }).telemetry.errorRedis).toEqual({
      url: 'redis://127.0.0.1:6379',
      key: 'errors:recent',
      maxEntries: 50000,
    });
  });

  it('reads a JSON file named by CONFIG_FILE, and the environment wins over it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'il-config-'));
    try {
      const file = path.join(dir, 'config.json');
      writeFileSync(file, JSON.stringify({ PORT: 5000, MAX_AUTO_FIXES_PER_DAY: 2, ENABLE_SELF_IMPROVEMENT: true }));
      const config = loadConfig({ CONFIG_FILE: file, PORT: '5001' });
      expect(config.port).toBe(5001);
      expect(config.analysis.maxAutoFixesPerDay).toBe(2);
      expect(config.enableSelfImprovement).toBe(true);
      writeFileSync(file, JSON.stringify({ PROT: 1 }));
      expect(() => loadConfig({ CONFIG_FILE: file })).toThrow(/PROT \(in CONFIG_FILE\): not a known setting/);
      writeFileSync(file, '{ not json');
      expect(() => loadConfig({ CONFIG_FILE: file })).toThrow(/CONFIG_FILE: .* is not valid JSON/);
      expect(() => loadConfig({ CONFIG_FILE: path.join(dir, 'missing.json') })).toThrow(/CONFIG_FILE: cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is documented variable by variable in the README table and in .env.example', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    const tableRows = new Set([...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    const exampleNames = new Set([...example.matchAll(/^#?\s*([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    const schemaNames = Object.keys(VARIABLES);
    for (const name of schemaNames) {
      expect(tableRows, `README table lacks ${name}`).toContain(name);
      expect(exampleNames, `.env.example lacks ${name}`).toContain(name);
    }
    for (const name of tableRows) expect(schemaNames, `README documents unknown ${name}`).toContain(name);
    for (const name of exampleNames) expect(schemaNames, `.env.example names unknown ${name}`).toContain(name);
  });

  it('takes PUBLIC_URL as an http(s) URL without its trailing slash, and refuses anything else naming the variable', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://improve.example.com/' }).publicUrl).toBe('https://improve.example.com');
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(() => loadConfig({ PUBLIC_URL: 'improve.example.com' })).toThrow(/PUBLIC_URL: an http\(s\) URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://improve.example.com' })).toThrow(/PUBLIC_URL: an http\(s\) URL/);
  });
});
