import path from 'node:path';
import type { Config } from '../config.ts';
import { probeIsolation } from '../adapters/executor/index.ts';

/** One line per part, printed at start: which mode each part runs in. */
export interface PartMode {
  part: string;
  mode: string;
}

/** The executor's start line: where it works, how it tests, whether it merges, and any sandbox warning. */
export function describeExecutor(config: Config, repoPath: string): string {
  const warnings = probeIsolation().warnings;
  const merge = config.safety.allowProductionDeploy && !config.safety.requireReview ? 'fast-forwards the base branch' : 'never merges';
  return `git worktrees of ${repoPath} under ${config.execution.worktreeDir}; tests: ${config.testCommand}; ${merge}${warnings.length ? `; sandbox: ${warnings.join('; ')}` : ''}`;
}

/** The warehouse's start line before it is built (the built one describes itself). */
export function describeWarehouse(config: Config): string {
  if (config.telemetry.bigquery) return `bigquery (project ${config.telemetry.bigquery.projectId})`;
  if (config.telemetry.dir) return `duckdb over ${config.telemetry.dir}`;
  return `duckdb over the bundled sample (generated into ${path.join(config.dataDir, 'sample-telemetry')} on first use)`;
}

/** Part of the http start line: whether Slack links back to the dashboard, and why not when it does not. */
export function describePublicUrl(config: Config): string {
  return config.publicUrl
    ? `Slack links to the dashboard at ${config.publicUrl}`
    : 'PUBLIC_URL unset: Slack messages carry no dashboard links or chart images';
}

/** The assistant's start line: off, offline shapes, or the model with who may ask and the budgets. */
export function describeAssistant(config: Config): string {
  if (!config.assistant.enabled) return 'off (ASSISTANT_ENABLED is false)';
  const who = config.assistant.allowed === 'everyone' ? 'everyone may ask' : `${config.assistant.allowed.length} user/group id(s) may ask`;
  if (!config.llm.apiKey) return `offline question shapes (no ANTHROPIC_API_KEY); ${who}`;
  const tokens = (n: number) => (n ? `${n.toLocaleString('en-US')}` : 'unlimited');
  return `${config.assistant.model}; ${who}; ${tokens(config.assistant.userDailyTokens)} tokens per person, ${tokens(config.assistant.workspaceDailyTokens)} per workspace per day`;
}
