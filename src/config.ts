import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { resolveSampleEnd } from './demo/sample-end.ts';
import { VARIABLES, type Variable, type VariableName } from './config-variables.ts';
import { ConfigError } from './config-error.ts';

export { VARIABLES, type VariableName };
export { ConfigError };

/**
 * Every setting, read once from the environment (or a JSON file named by CONFIG_FILE, whose keys are
 * these same variable names; the environment wins). This is the only module that reads process.env.
 * The README's configuration table and .env.example are checked against VARIABLES by a test.
 */

/**
 * Settings that were documented but read by nothing, and the setting that does their job. A value
 * that would mean something other than what the successor is set to stops the start, so no operator
 * believes, say, that approvals are off while they are on.
 */
const RETIRED: Record<string, { successor: string; conflicts: (value: string, raw: Partial<Raw>) => boolean }> = {
  APPROVAL_REQUIRED: {
    successor:
      'REQUIRE_APPROVAL (execution needs an approved proposal); AUTO_EXECUTE and MAX_AUTO_FIXES_PER_DAY say what policy may approve',
    conflicts: (value, raw) => parseBool(value) !== raw.REQUIRE_APPROVAL,
  },
  TEST_REQUIRED: {
    successor: 'REQUIRE_TESTS (the test command must pass before a commit)',
    conflicts: (value, raw) => parseBool(value) !== raw.REQUIRE_TESTS,
  },
  ANALYSIS_INTERVAL_HOURS: {
    successor: 'SCHEDULE_DAILY and the other SCHEDULE_* crons (when analyses run)',
    conflicts: (value) => value.trim() !== '24',
  },
};

function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  return ['true', '1', 'yes', 'on'].includes(v) ? true : ['false', '0', 'no', 'off'].includes(v) ? false : undefined;
}
type Raw = { [K in VariableName]: z.output<(typeof VARIABLES)[K]['schema']> };

/**
 * The settings as the code reads them, grouped by part. Derived from what `toConfig` builds out of the
 * validated variables, so a setting is declared once (in VARIABLES) and placed once (in toConfig).
 */
export type Config = Settled<ReturnType<typeof toConfig>>;

/** A setting that may be unset reads as an optional property (`baseBranch?: string`), at every depth. */
type Settled<T> = T extends Date | RegExp | readonly unknown[] | ((...args: never[]) => unknown)
  ? T
  : T extends object
    ? Flat<
        { [K in keyof T as undefined extends T[K] ? never : K]: Settled<T[K]> } & {
          [K in keyof T as undefined extends T[K] ? K : never]?: Settled<Exclude<T[K], undefined>>;
        }
      >
    : T;
type Flat<T> = { [K in keyof T]: T[K] };

type Source = Record<string, unknown>;

/** Reads and validates every setting; throws ConfigError naming each wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const fromFile = readConfigFile(env.CONFIG_FILE);
  const problems: string[] = [];
  const raw: Partial<Record<VariableName, unknown>> = {};
  for (const [name, variable] of Object.entries(VARIABLES) as [VariableName, Variable][]) {
    // A blank value (VAR= in a .env file) means "not set", never 0, false or "no limit".
    const envValue = env[name] as unknown;
    const fromEnv = typeof envValue === 'string' && !envValue.trim() ? undefined : envValue;
    const given = fromEnv ?? fromFile[name];
    const value = given === undefined || given === '' ? variable.default : given;
    const parsed = variable.schema.safeParse(value);
    if (parsed.success) raw[name] = parsed.data;
    else problems.push(describeProblem(name, variable, value, parsed.error));
  }
  for (const [name, retired] of Object.entries(RETIRED)) {
    const given = env[name] ?? fromFile[name];
    const text = given === undefined || given === null ? '' : String(given);
    if (text.trim() && retired.conflicts(text, raw as Partial<Raw>)) {
      problems.push(`${name}: no longer read (it never was); ${retired.successor} does this job: set that instead and remove ${name}`);
    }
  }
  const unknown = Object.keys(fromFile).filter((key) => !(key in VARIABLES) && !(key in RETIRED));
  for (const key of unknown) problems.push(`${key} (in CONFIG_FILE): not a known setting`);
  if (raw.ERROR_REDIS_KEY && !raw.ERROR_REDIS_URL && !raw.REDIS_URL) {
    problems.push('ERROR_REDIS_KEY: needs ERROR_REDIS_URL or REDIS_URL to say which Redis holds it');
  }
  if (raw.SLACK_BOT_TOKEN && !raw.SLACK_SIGNING_SECRET && !raw.SLACK_APP_TOKEN) {
    problems.push('SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  problems.push(...githubProblems(raw as Partial<Raw>, problems));
  if (raw.GITLAB_TOKEN && !raw.GITLAB_PROJECT) problems.push('GITLAB_PROJECT: required with GITLAB_TOKEN (group/name or id)');
  if (raw.GITLAB_TOKEN && !raw.GIT_REMOTE)
    problems.push('GIT_REMOTE: required with GITLAB_TOKEN (a merge request needs its branch pushed first)');
  if (raw.GITLAB_TOKEN && (raw.GITHUB_TOKEN || raw.GITHUB_APP_ID)) problems.push('GITLAB_TOKEN: set GitHub or GitLab, not both');
  if (problems.length) throw new ConfigError(problems);
  // The test runner sets NODE_ENV in the process, not in the settings a test passes.
  return toConfig(raw as Raw, env.NODE_ENV ?? process.env.NODE_ENV);
}

/** GitHub is on with a token or a whole App (id, key, installation), never both, and needs where to push and which repository. */
function githubProblems(raw: Partial<Raw>, found: readonly string[]): string[] {
  const app = [raw.GITHUB_APP_ID, raw.GITHUB_APP_PRIVATE_KEY, raw.GITHUB_APP_INSTALLATION_ID];
  const appNames = ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_APP_INSTALLATION_ID'];
  const problems: string[] = [];
  if (app.some(Boolean) && !app.every(Boolean))
    problems.push(`${appNames[app.findIndex((v) => !v)]}: required with the other GITHUB_APP_* settings`);
  if (raw.GITHUB_TOKEN && app.some(Boolean)) problems.push('GITHUB_TOKEN: set either it or the GITHUB_APP_* settings, not both');
  if (!raw.GITHUB_TOKEN && !app.some(Boolean)) return problems;
  const what = raw.GITHUB_TOKEN ? 'GITHUB_TOKEN' : 'GITHUB_APP_ID';
  if (!raw.GITHUB_REPOSITORY && !found.some((p) => p.startsWith('GITHUB_REPOSITORY:')))
    problems.push(`GITHUB_REPOSITORY: required with ${what} (owner/name)`);
  if (!raw.GIT_REMOTE) problems.push(`GIT_REMOTE: required with ${what} (a pull request needs its branch pushed to the repository first)`);
  return problems;
}

function readConfigFile(file: string | undefined): Source {
  if (!file || !file.trim()) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`CONFIG_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError([`CONFIG_FILE: ${file} is not valid JSON`]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([`CONFIG_FILE: ${file} must hold a JSON object of variable names to values`]);
  }
  // Values are strings or scalars; converting here lets one schema serve the file and the env alike.
  return Object.fromEntries(Object.entries(parsed as Source).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));
}

function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined) return undefined;
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

function describeProblem(name: string, variable: Variable, value: unknown, error: z.ZodError): string {
  const shown = variable.secret ? '(hidden)' : JSON.stringify(value);
  const why = error.issues.map((issue) => issue.message).join('; ');
  return `${name}: ${why} (got ${shown})`;
}

function toConfig(raw: Raw, nodeEnv: string | undefined) {
  return {
    port: raw.PORT,
    host: raw.HOST,
    dataDir: path.resolve(raw.DATA_DIR),
    logLevel: raw.LOG_LEVEL,
    redis: {
      url: raw.REDIS_URL,
      keyPrefix: raw.REDIS_KEY_PREFIX,
      requestTimeoutMs: raw.REDIS_REQUEST_TIMEOUT_MS,
      /** Derived from the prefix: where the service's own keys (locks, Slack state) and the scheduler's live. */
      keys: { service: `${raw.REDIS_KEY_PREFIX}improvement:`, schedule: `${raw.REDIS_KEY_PREFIX}improvement:schedule:` },
    },
    apiTokens: raw.API_TOKENS,
    configFile: raw.CONFIG_FILE,
    enableSelfImprovement: raw.ENABLE_SELF_IMPROVEMENT,
    targetRepo: raw.TARGET_REPO ? path.resolve(raw.TARGET_REPO) : undefined,
    /** TARGET_REPO, or the demo repository under DATA_DIR that the bundled sample's stack traces point into. */
    repoPath: raw.TARGET_REPO ? path.resolve(raw.TARGET_REPO) : path.join(path.resolve(raw.DATA_DIR), 'demo-repo'),
    testCommand: raw.TEST_COMMAND,
    /** The security analyzer's advisories: a folder osv-sync fills from the zip at syncUrl. */
    osv: { dir: raw.OSV_DIR ? path.resolve(raw.OSV_DIR) : undefined, syncUrl: raw.OSV_SYNC_URL },
    analysis: {
      minInteractionsForLearning: raw.MIN_INTERACTIONS_FOR_LEARNING,
      minErrorsForBugReport: raw.MIN_ERRORS_FOR_BUG_REPORT,
      minFeatureRequestsForProposal: raw.MIN_FEATURE_REQUESTS_FOR_PROPOSAL,
      currency: raw.CURRENCY,
      performanceThresholdMs: raw.PERFORMANCE_THRESHOLD_MS,
      autoExecute: raw.AUTO_EXECUTE,
      maxAutoFixesPerDay: raw.MAX_AUTO_FIXES_PER_DAY,
      reproposeWorseningFactor: raw.REPROPOSE_WORSENING_FACTOR,
    },
    safety: {
      requireApproval: raw.REQUIRE_APPROVAL,
      requireTests: raw.REQUIRE_TESTS,
      requireReview: raw.REQUIRE_REVIEW,
      allowProductionDeploy: raw.ALLOW_PRODUCTION_DEPLOY,
      maxChangesPerProposal: raw.MAX_CHANGES_PER_PROPOSAL,
      maxLinesPerChange: raw.MAX_LINES_PER_CHANGE,
    },
    retentionDays: raw.PROPOSAL_RETENTION_DAYS,
    /** Present when SLACK_BOT_TOKEN is set; otherwise Slack is off and messages go to the outbox. */
    slack: raw.SLACK_BOT_TOKEN
      ? {
          botToken: raw.SLACK_BOT_TOKEN,
          signingSecret: raw.SLACK_SIGNING_SECRET,
          appToken: raw.SLACK_APP_TOKEN,
          channel: raw.SLACK_CHANNEL,
          approvers: raw.SLACK_APPROVERS,
          executors: raw.SLACK_EXECUTORS.length ? raw.SLACK_EXECUTORS : raw.SLACK_APPROVERS,
          apiUrl: raw.SLACK_API_URL,
          teamId: raw.SLACK_TEAM_ID,
          appId: raw.SLACK_APP_ID,
          reminderHours: raw.SLACK_REMINDER_HOURS,
        }
      : undefined,
    /** How implemented changes are tested for whether they helped. */
    outcomes: {
      windowDays: raw.OUTCOME_WINDOW_DAYS,
      alpha: raw.OUTCOME_ALPHA,
      ...(raw.OUTCOME_DEPLOY_ENVIRONMENT ? { deployEnvironment: raw.OUTCOME_DEPLOY_ENVIRONMENT } : {}),
    },
    /** Pending proposals are ranked by a model of past decisions once there are enough of them. */
    ranking: { minDecisions: raw.RANKING_MIN_DECISIONS },
    /** Where Block Kit messages are written when Slack is off. */
    outboxDir: path.join(path.resolve(raw.DATA_DIR), 'outbox'),
    execution: {
      enabled: raw.EXECUTION_ENABLED,
      baseBranch: raw.BASE_BRANCH,
      remote: raw.GIT_REMOTE,
      worktreeDir: raw.WORKTREE_DIR ? path.resolve(raw.WORKTREE_DIR) : path.join(path.resolve(raw.DATA_DIR), 'worktrees'),
      protectedPaths: raw.PROTECTED_PATHS,
      allowBinary: raw.ALLOW_BINARY_CHANGES,
      allowModeChanges: raw.ALLOW_MODE_CHANGES,
      dependencyUpgrades: raw.DEPENDENCY_UPGRADE_PATCHES,
      install: {
        network: raw.TRIAL_INSTALL_NETWORK,
        timeoutMs: raw.TRIAL_INSTALL_TIMEOUT_MS,
        npmCache: raw.TRIAL_NPM_CACHE ? path.resolve(raw.TRIAL_NPM_CACHE) : path.join(os.homedir(), '.npm'),
      },
      test: {
        timeoutMs: raw.TEST_TIMEOUT_MS,
        memoryMb: raw.TEST_MEMORY_MB,
        maxProcesses: raw.TEST_MAX_PROCESSES,
        outputMaxBytes: raw.TEST_OUTPUT_MAX_BYTES,
        envAllowlist: raw.TEST_ENV_ALLOWLIST,
        allowUnsandboxed: raw.TEST_ALLOW_UNSANDBOXED,
      },
      agent: { maxTurns: raw.AGENT_MAX_TURNS, tokenBudget: raw.AGENT_TOKEN_BUDGET },
    },
    schedule: {
      timezone: raw.SCHEDULE_TIMEZONE,
      daily: raw.SCHEDULE_DAILY,
      weekly: raw.SCHEDULE_WEEKLY,
      monthly: raw.SCHEDULE_MONTHLY,
      autoExecute: raw.SCHEDULE_AUTO_EXECUTE,
      digest: raw.SCHEDULE_DIGEST,
      regressionWatch: raw.SCHEDULE_REGRESSION_WATCH,
      maxLatenessMs: raw.SCHEDULE_MAX_LATENESS_MS,
      catchUp: raw.SCHEDULE_CATCH_UP,
    },
    dashboard: { sessionHours: raw.DASHBOARD_SESSION_HOURS },
    /** The dashboard's external base URL, without a trailing slash; undefined → no links to it from Slack. */
    publicUrl: raw.PUBLIC_URL,
    /** Present when GITHUB_TOKEN (or a GitHub App) is set: implemented branches get a pull request, followed into Slack. */
    github:
      raw.GITHUB_TOKEN || raw.GITHUB_APP_ID
        ? {
            auth: raw.GITHUB_TOKEN
              ? { token: raw.GITHUB_TOKEN }
              : {
                  appId: raw.GITHUB_APP_ID!,
                  privateKey: raw.GITHUB_APP_PRIVATE_KEY!.replace(/\\n/g, '\n'),
                  installationId: raw.GITHUB_APP_INSTALLATION_ID!,
                },
            repository: raw.GITHUB_REPOSITORY!,
            apiUrl: raw.GITHUB_API_URL,
            webhookSecret: raw.GITHUB_WEBHOOK_SECRET,
            timeoutMs: raw.GITHUB_TIMEOUT_MS,
            pollCron: raw.SCHEDULE_PULL_REQUESTS,
            appName: raw.CODE_HOST_APP_NAME,
          }
        : undefined,
    /** Present when GITLAB_TOKEN is set: merge requests instead of pull requests, followed by polling. */
    gitlab: raw.GITLAB_TOKEN
      ? {
          token: raw.GITLAB_TOKEN,
          project: raw.GITLAB_PROJECT!,
          apiUrl: raw.GITLAB_API_URL,
          webhookSecret: raw.GITLAB_WEBHOOK_SECRET,
          timeoutMs: raw.GITHUB_TIMEOUT_MS,
          pollCron: raw.SCHEDULE_PULL_REQUESTS,
          appName: raw.CODE_HOST_APP_NAME,
        }
      : undefined,
    assistant: {
      enabled: raw.ASSISTANT_ENABLED,
      allowed: raw.ASSISTANT_ALLOWED,
      userDailyTokens: raw.ASSISTANT_USER_DAILY_TOKENS,
      workspaceDailyTokens: raw.ASSISTANT_WORKSPACE_DAILY_TOKENS,
      maxToolRounds: raw.ASSISTANT_MAX_TOOL_ROUNDS,
      model: raw.ASSISTANT_MODEL ?? raw.ANTHROPIC_MODEL,
    },
    /** Express's `trust proxy` value; undefined trusts no proxy. */
    trustProxy: parseTrustProxy(raw.TRUST_PROXY),
    telemetry: {
      dir: raw.TELEMETRY_DIR ? path.resolve(raw.TELEMETRY_DIR) : undefined,
      sample: {
        metrics: raw.SAMPLE_METRIC_ROWS,
        interactions: raw.SAMPLE_INTERACTIONS,
        endsOn: resolveSampleEnd(raw.SAMPLE_END, { NODE_ENV: nodeEnv }),
      },
      errorRedis:
        raw.ERROR_REDIS_KEY && (raw.ERROR_REDIS_URL ?? raw.REDIS_URL)
          ? { url: (raw.ERROR_REDIS_URL ?? raw.REDIS_URL)!, key: raw.ERROR_REDIS_KEY, maxEntries: raw.ERROR_REDIS_MAX_ENTRIES }
          : undefined,
      appRoots: raw.APP_ROOTS,
      bigquery: raw.BIGQUERY_PROJECT
        ? {
            projectId: raw.BIGQUERY_PROJECT,
            location: raw.BIGQUERY_LOCATION,
            datasets: {
              interactions: raw.BIGQUERY_DATASET_INTERACTIONS,
              metrics: raw.BIGQUERY_DATASET_METRICS,
              logs: raw.BIGQUERY_DATASET_LOGS,
            },
            maximumBytesBilled: raw.BIGQUERY_MAX_BYTES_BILLED,
            jobTimeoutMs: raw.BIGQUERY_JOB_TIMEOUT_MS,
            apiEndpoint: raw.BIGQUERY_API_ENDPOINT,
            keyFilename: raw.GOOGLE_APPLICATION_CREDENTIALS,
          }
        : undefined,
    },
    llm: {
      apiKey: raw.ANTHROPIC_API_KEY,
      baseURL: raw.ANTHROPIC_BASE_URL,
      model: raw.ANTHROPIC_MODEL,
      cycleTokenBudget: raw.LLM_CYCLE_TOKEN_BUDGET || undefined,
      concurrency: raw.LLM_CONCURRENCY,
      maxRetries: raw.LLM_MAX_RETRIES,
      timeoutMs: raw.LLM_TIMEOUT_MS,
      maxOutputTokens: raw.LLM_MAX_OUTPUT_TOKENS,
    },
  };
}
