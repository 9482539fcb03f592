import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { resolveSampleEnd, type SampleEnd } from './demo/sample-end.ts';

/**
 * Every setting, read once from the environment (or a JSON file named by CONFIG_FILE, whose keys are
 * these same variable names; the environment wins). This is the only module that reads process.env.
 * The README's configuration table and .env.example are checked against VARIABLES by a test.
 */

const bool = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  ctx.addIssue({ code: 'custom', message: 'must be true or false' });
  return z.NEVER;
});
// Digits only: Number() would also take "", " ", "0x10" and "1e3".
const int = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'number' ? String(value) : value),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/, `must be a whole number from ${min} to ${max}`)
      .transform(Number)
      .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)),
  );
const list = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

// Five fields (minute hour day month weekday), checked with cron-parser so a typo fails at start.
const cron = z
  .string()
  .trim()
  .refine((v) => v.split(/\s+/).length === 5 && isCron(v), 'a five-field cron expression such as "0 2 * * *"');

function isCron(expression: string): boolean {
  try {
    CronExpressionParser.parse(expression);
    return true;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface Variable {
  schema: z.ZodType;
  default?: string;
  description: string;
  secret?: boolean;
}

export const VARIABLES = {
  PORT: { schema: int(0, 65535), default: '4002', description: 'HTTP port of the API, dashboard and Slack events (0 picks a free port)' },
  HOST: { schema: z.string().min(1), default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 in containers)' },
  DATA_DIR: {
    schema: z.string().min(1),
    default: './.improvement-loop',
    description: 'Embedded store, reports, outbox and generated API token live here',
  },
  REDIS_URL: { schema: optionalText, description: 'Redis connection URL; unset → the embedded store under DATA_DIR', secret: true },
  REDIS_KEY_PREFIX: {
    schema: z.string().regex(/^[A-Za-z0-9:_-]*$/, 'letters, digits, ":", "_" or "-"'),
    default: '',
    description: 'Prefix for every Redis key (empty keeps the seed-compatible names)',
  },
  REDIS_REQUEST_TIMEOUT_MS: {
    schema: int(50, 60000),
    default: '2000',
    description: 'How long a request handler waits for Redis before answering with an error',
  },
  API_TOKENS: {
    schema: list,
    default: '',
    description: 'Comma-separated bearer tokens for the HTTP API; unset → one is generated into DATA_DIR/api-token',
    secret: true,
  },
  CONFIG_FILE: { schema: optionalText, description: 'JSON file whose keys are these variable names; the environment overrides it' },
  ENABLE_SELF_IMPROVEMENT: { schema: bool, default: 'false', description: 'Run the scheduled jobs (only when true)' },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: 'pino log level',
  },
  TARGET_REPO: { schema: optionalText, description: 'Git repository the loop improves (unset → the demo repository under DATA_DIR)' },
  TEST_COMMAND: { schema: z.string().min(1), default: 'npm test', description: 'Command that tests a change in the target repository' },
  TELEMETRY_DIR: {
    schema: optionalText,
    description:
      'Directory of customer_interactions.*, api_metrics.*, error_logs.* (NDJSON, CSV or Parquet) read by DuckDB; unset → the bundled sample',
  },
  SAMPLE_METRIC_ROWS: {
    schema: int(1000, 100_000_000),
    default: '1000000',
    description: 'Size of the bundled sample (without TELEMETRY_DIR or BIGQUERY_PROJECT): API metric rows over 30 days',
  },
  SAMPLE_INTERACTIONS: {
    schema: int(1000, 10_000_000),
    default: '100000',
    description: 'Size of the bundled sample: customer interactions over 30 days',
  },
  SAMPLE_END: {
    schema: optionalText.refine(
      (v) => v === undefined || v.toLowerCase() === 'today' || !Number.isNaN(Date.parse(v)),
      "'today' or an ISO day such as 2026-01-31",
    ),
    description:
      "Where the bundled sample ends: 'today' (its rows shifted so the last day is yesterday) or a fixed ISO day for reproducible runs; unset → today, or 2026-01-31 under a test runner (NODE_ENV=test)",
  },
  ERROR_REDIS_KEY: {
    schema: optionalText,
    description:
      "A Redis stream or list of recent errors (JSON or fields error_message, error_stack, endpoint, timestamp) added to the warehouse's error logs; unset → off",
  },
  ERROR_REDIS_URL: { schema: optionalText, description: 'Redis holding ERROR_REDIS_KEY; unset → REDIS_URL', secret: true },
  ERROR_REDIS_MAX_ENTRIES: {
    schema: int(1, 1_000_000),
    default: '50000',
    description: 'Recent-error entries read from Redis per window, at most',
  },
  APP_ROOTS: {
    schema: list,
    default: '',
    description: 'Comma-separated directories where the service runs in stack traces (e.g. /srv/app), so frames map to TARGET_REPO files',
  },
  BIGQUERY_PROJECT: {
    schema: optionalText,
    description: 'Google Cloud project: setting it reads telemetry from BigQuery instead of DuckDB',
  },
  BIGQUERY_LOCATION: { schema: optionalText, description: 'BigQuery location of the datasets, e.g. US' },
  BIGQUERY_DATASET_INTERACTIONS: {
    schema: z.string().regex(/^[A-Za-z0-9_]{1,1024}$/, 'letters, digits and "_"'),
    default: 'ai_learning',
    description: 'Dataset of customer_interactions and agent_executions',
  },
  BIGQUERY_DATASET_METRICS: {
    schema: z.string().regex(/^[A-Za-z0-9_]{1,1024}$/, 'letters, digits and "_"'),
    default: 'performance',
    description: 'Dataset of api_metrics and optimizations',
  },
  BIGQUERY_DATASET_LOGS: {
    schema: z.string().regex(/^[A-Za-z0-9_]{1,1024}$/, 'letters, digits and "_"'),
    default: 'logs',
    description: 'Dataset of error_logs',
  },
  BIGQUERY_MAX_BYTES_BILLED: {
    schema: z
      .string()
      .regex(/^\d+$/, 'a whole number of bytes')
      .refine((v) => BigInt(v) >= 10485760n, 'at least 10485760 (BigQuery bills 10 MiB per query at least)'),
    default: '10737418240',
    description: 'Each BigQuery job fails rather than scan (and bill) more than this many bytes',
  },
  BIGQUERY_JOB_TIMEOUT_MS: { schema: int(1000, 3600000), default: '120000', description: 'A BigQuery job is cancelled after this long' },
  BIGQUERY_API_ENDPOINT: { schema: optionalText, description: 'BigQuery API base URL (emulators and tests only)' },
  GOOGLE_APPLICATION_CREDENTIALS: {
    schema: optionalText,
    description: 'Service-account key file for BigQuery; unset → Application Default Credentials',
    secret: true,
  },
  ANTHROPIC_API_KEY: {
    schema: optionalText,
    description: 'Claude writes the proposals when set; unset → the offline template writer',
    secret: true,
  },
  ANTHROPIC_BASE_URL: {
    schema: optionalText,
    description: 'Anthropic API base URL (proxies and tests); unset → https://api.anthropic.com',
  },
  ANTHROPIC_MODEL: { schema: z.string().min(1), default: 'claude-sonnet-5-5', description: 'Claude model that writes proposals' },
  LLM_CYCLE_TOKEN_BUDGET: {
    schema: int(0, 1e10),
    default: '500000',
    description: 'Tokens one cycle may spend on writing; then templates take over (0 = no limit)',
  },
  LLM_CONCURRENCY: { schema: int(1, 32), default: '4', description: 'Proposals written by Claude at the same time' },
  LLM_MAX_RETRIES: {
    schema: int(0, 10),
    default: '2',
    description: "Retries of a failed Anthropic request (429, 529, 5xx), with the SDK's backoff",
  },
  LLM_TIMEOUT_MS: { schema: int(1000, 600000), default: '120000', description: 'Timeout of one Anthropic request attempt' },
  LLM_MAX_OUTPUT_TOKENS: { schema: int(256, 21000), default: '8192', description: 'Longest answer Claude may write for one proposal' },
  MIN_INTERACTIONS_FOR_LEARNING: {
    schema: int(1, 1e9),
    default: '100',
    description: 'Learning analysis needs at least this many interactions',
  },
  MIN_ERRORS_FOR_BUG_REPORT: {
    schema: int(1, 1e9),
    default: '5',
    description: 'An error group needs this many occurrences to become a finding',
  },
  MIN_FEATURE_REQUESTS_FOR_PROPOSAL: {
    schema: int(1, 1e9),
    default: '3',
    description: 'A feature theme needs this many requests to become a finding',
  },
  PERFORMANCE_THRESHOLD_MS: { schema: int(1, 600000), default: '2000', description: 'Endpoints slower than this (p95) are findings' },
  AUTO_EXECUTE: { schema: bool, default: 'false', description: 'Let eligible low-risk proposals execute without a click (see policy)' },
  MAX_AUTO_FIXES_PER_DAY: {
    schema: int(0, 1000),
    default: '5',
    description: 'Proposals approved and executed by policy (not a person) per day, at most',
  },
  REQUIRE_APPROVAL: { schema: bool, default: 'true', description: 'Safety: execution needs an approved proposal' },
  REQUIRE_TESTS: { schema: bool, default: 'true', description: 'Safety: the test command must pass before a commit' },
  REQUIRE_REVIEW: { schema: bool, default: 'true', description: 'Safety: changes land on a branch for review, not on the base branch' },
  ALLOW_PRODUCTION_DEPLOY: { schema: bool, default: 'false', description: 'Safety: allow merging into the base branch (never deploys)' },
  MAX_CHANGES_PER_PROPOSAL: { schema: int(1, 1000), default: '10', description: 'Safety: files a change may touch' },
  MAX_LINES_PER_CHANGE: { schema: int(1, 100000), default: '500', description: 'Safety: changed lines per file' },
  REPROPOSE_WORSENING_FACTOR: {
    schema: z.coerce.number().min(1).max(100),
    default: '1.5',
    description: 'A rejected finding is proposed again only when its magnitude grows by this factor',
  },
  PROPOSAL_RETENTION_DAYS: {
    schema: int(1, 3650),
    default: '30',
    description: 'Days a rejected, implemented or rolled-back proposal is kept',
  },
  SLACK_BOT_TOKEN: {
    schema: optionalText,
    description: 'Bot token (xoxb-…); unset → Slack is off and messages go to DATA_DIR/outbox as Block Kit JSON',
    secret: true,
  },
  SLACK_SIGNING_SECRET: {
    schema: optionalText,
    description:
      'Signing secret that checks requests to /slack/events (HTTP mode); required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN is set',
    secret: true,
  },
  SLACK_APP_TOKEN: {
    schema: optionalText,
    description: 'App-level token (xapp-…): set it to use Socket Mode instead of HTTP requests',
    secret: true,
  },
  SLACK_CHANNEL: { schema: optionalText, description: 'Channel ID where proposals and the digest are posted' },
  SLACK_APPROVERS: {
    schema: list,
    default: '',
    description: 'Comma-separated Slack user IDs (U…) or user-group IDs (S…) who may approve and reject; empty → nobody may (fail closed)',
  },
  SLACK_EXECUTORS: {
    schema: list,
    default: '',
    description: 'User or user-group IDs who may press Execute in Slack; empty → the approvers',
  },
  SLACK_API_URL: { schema: optionalText, description: 'Base URL of the Slack Web API (proxies and tests); unset → https://slack.com/api/' },
  SLACK_TEAM_ID: {
    schema: optionalText,
    description:
      'Workspace ID (T…) requests must come from; unset → learned from auth.test at start (other workspaces are refused either way)',
  },
  SLACK_APP_ID: {
    schema: optionalText,
    description: "The app's ID (A…) clicks must come from; unset → learned from auth.test at start (needs the users:read scope)",
  },
  SLACK_REMINDER_HOURS: {
    schema: int(1, 24 * 90),
    default: '48',
    description: 'Proposals pending longer than this are reminded in the digest',
  },
  EXECUTION_ENABLED: {
    schema: bool,
    default: 'true',
    description: 'Let approved proposals execute in a git worktree of TARGET_REPO (never deployed)',
  },
  BASE_BRANCH: {
    schema: optionalText,
    description: 'Branch improvement branches start from; unset → the branch TARGET_REPO has checked out',
  },
  GIT_REMOTE: { schema: optionalText, description: 'Remote that implemented branches are pushed to; unset → branches stay local' },
  WORKTREE_DIR: { schema: optionalText, description: 'Where execution worktrees are made; unset → DATA_DIR/worktrees' },
  PROTECTED_PATHS: {
    schema: list,
    default:
      '.git/,.github/,.gitlab-ci.yml,.circleci/,.husky/,.env*,.npmrc,.yarnrc*,package-lock.json,yarn.lock,pnpm-lock.yaml,npm-shrinkwrap.json',
    description: 'Comma-separated paths or globs a change may never touch (package.json scripts are always protected)',
  },
  ALLOW_BINARY_CHANGES: { schema: bool, default: 'false', description: 'Safety: let a change add or edit binary files' },
  ALLOW_MODE_CHANGES: {
    schema: bool,
    default: 'false',
    description: 'Safety: let a change alter file modes (e.g. make a file executable)',
  },
  TEST_TIMEOUT_MS: {
    schema: int(1000, 6 * 3600 * 1000),
    default: '600000',
    description: 'A test run of a change is killed after this long',
  },
  TEST_MEMORY_MB: { schema: int(64, 1024 * 1024), default: '4096', description: 'Address-space limit of the test run, in MiB' },
  TEST_MAX_PROCESSES: { schema: int(8, 100000), default: '512', description: 'Processes and threads the test run may have' },
  TEST_OUTPUT_MAX_BYTES: {
    schema: int(1024, 1024 * 1024 * 1024),
    default: '1048576',
    description: 'Test output kept (the tail); the rest is dropped',
  },
  TEST_ALLOW_UNSANDBOXED: {
    schema: bool,
    default: 'false',
    description: "Safety: run trials and executions without bubblewrap where it is unavailable (tests then see the service user's files)",
  },
  TEST_ENV_ALLOWLIST: {
    schema: list,
    default: 'PATH,HOME,LANG,LC_ALL,TZ,CI,NODE_ENV,TMPDIR',
    description: 'The only environment variables the test run sees (no secrets)',
  },
  AGENT_MAX_TURNS: {
    schema: int(1, 200),
    default: '20',
    description: 'Turns the Claude editing agent may take for one proposal without a patch',
  },
  AGENT_TOKEN_BUDGET: { schema: int(1000, 1e9), default: '200000', description: 'Tokens the editing agent may spend on one proposal' },
  SCHEDULE_TIMEZONE: {
    schema: z.string().min(1).refine(isTimeZone, 'an IANA time zone such as UTC or Europe/Berlin'),
    default: 'UTC',
    description: 'Time zone of the schedules',
  },
  SCHEDULE_DAILY: { schema: cron, default: '0 2 * * *', description: 'Cron of the daily analysis' },
  SCHEDULE_WEEKLY: { schema: cron, default: '0 6 * * 1', description: 'Cron of the weekly proposals run' },
  SCHEDULE_MONTHLY: { schema: cron, default: '0 8 1 * *', description: 'Cron of the monthly refactoring run' },
  SCHEDULE_AUTO_EXECUTE: { schema: cron, default: '30 * * * *', description: 'Cron of the auto-execution of approved, eligible proposals' },
  SCHEDULE_DIGEST: { schema: cron, default: '0 9 * * *', description: 'Cron of the Slack digest' },
  SCHEDULE_REGRESSION_WATCH: {
    schema: cron,
    default: '5 * * * *',
    description:
      'Cron of the regression watch: the hourly latency-regression detector alone, so a regression is proposed within hours of its onset',
  },
  SCHEDULE_MAX_LATENESS_MS: {
    schema: int(1000, 24 * 3600 * 1000),
    default: '600000',
    description: 'A scheduled run that starts later than this after its slot is skipped and logged',
  },
  SCHEDULE_CATCH_UP: {
    schema: bool,
    default: 'true',
    description: 'On start, run once each job whose last run is older than its interval',
  },
  TRUST_PROXY: {
    schema: optionalText,
    description:
      'Express "trust proxy" behind a TLS-terminating proxy: true, a hop count, or addresses/subnets; unset → trust none (dashboard cookies get Secure only on direct HTTPS)',
  },
  DASHBOARD_SESSION_HOURS: { schema: int(1, 24 * 30), default: '12', description: 'How long a dashboard sign-in lasts' },
} satisfies Record<string, Variable>;

export type VariableName = keyof typeof VARIABLES;

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

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  logLevel: Raw['LOG_LEVEL'];
  redis: {
    url?: string;
    keyPrefix: string;
    requestTimeoutMs: number;
    /** Derived from keyPrefix: where the service's own keys (locks, Slack state) and the scheduler's live. */
    keys: { service: string; schedule: string };
  };
  apiTokens: string[];
  configFile?: string;
  enableSelfImprovement: boolean;
  targetRepo?: string;
  /** TARGET_REPO, or the demo repository under DATA_DIR that the bundled sample's stack traces point into. */
  repoPath: string;
  testCommand: string;
  analysis: {
    minInteractionsForLearning: number;
    minErrorsForBugReport: number;
    minFeatureRequestsForProposal: number;
    performanceThresholdMs: number;
    autoExecute: boolean;
    maxAutoFixesPerDay: number;
    reproposeWorseningFactor: number;
  };
  safety: {
    requireApproval: boolean;
    requireTests: boolean;
    requireReview: boolean;
    allowProductionDeploy: boolean;
    maxChangesPerProposal: number;
    maxLinesPerChange: number;
  };
  retentionDays: number;
  /** Present when SLACK_BOT_TOKEN is set; otherwise Slack is off and messages go to the outbox. */
  slack?: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    channel?: string;
    approvers: string[];
    executors: string[];
    apiUrl?: string;
    teamId?: string;
    appId?: string;
    reminderHours: number;
  };
  /** Where Block Kit messages are written when Slack is off. */
  outboxDir: string;
  execution: {
    enabled: boolean;
    baseBranch?: string;
    remote?: string;
    worktreeDir: string;
    protectedPaths: string[];
    allowBinary: boolean;
    allowModeChanges: boolean;
    test: {
      timeoutMs: number;
      memoryMb: number;
      maxProcesses: number;
      outputMaxBytes: number;
      envAllowlist: string[];
      allowUnsandboxed: boolean;
    };
    agent: { maxTurns: number; tokenBudget: number };
  };
  schedule: {
    timezone: string;
    daily: string;
    weekly: string;
    monthly: string;
    autoExecute: string;
    digest: string;
    regressionWatch: string;
    maxLatenessMs: number;
    catchUp: boolean;
  };
  dashboard: { sessionHours: number };
  /** Express's `trust proxy` value; undefined trusts no proxy. */
  trustProxy?: boolean | number | string;
  telemetry: {
    dir?: string;
    sample: { metrics: number; interactions: number; endsOn: SampleEnd };
    errorRedis?: { url: string; key: string; maxEntries: number };
    appRoots: string[];
    bigquery?: {
      projectId: string;
      location?: string;
      datasets: { interactions: string; metrics: string; logs: string };
      maximumBytesBilled: string;
      jobTimeoutMs: number;
      apiEndpoint?: string;
      keyFilename?: string;
    };
  };
  llm: {
    apiKey?: string;
    baseURL?: string;
    model: string;
    cycleTokenBudget?: number;
    concurrency: number;
    maxRetries: number;
    timeoutMs: number;
    maxOutputTokens: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

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
  if (problems.length) throw new ConfigError(problems);
  return toConfig(raw as Raw, env.NODE_ENV);
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

function toConfig(raw: Raw, nodeEnv: string | undefined): Config {
  return {
    port: raw.PORT,
    host: raw.HOST,
    dataDir: path.resolve(raw.DATA_DIR),
    logLevel: raw.LOG_LEVEL,
    redis: {
      url: raw.REDIS_URL,
      keyPrefix: raw.REDIS_KEY_PREFIX,
      requestTimeoutMs: raw.REDIS_REQUEST_TIMEOUT_MS,
      keys: { service: `${raw.REDIS_KEY_PREFIX}improvement:`, schedule: `${raw.REDIS_KEY_PREFIX}improvement:schedule:` },
    },
    apiTokens: raw.API_TOKENS,
    configFile: raw.CONFIG_FILE,
    enableSelfImprovement: raw.ENABLE_SELF_IMPROVEMENT,
    targetRepo: raw.TARGET_REPO ? path.resolve(raw.TARGET_REPO) : undefined,
    repoPath: raw.TARGET_REPO ? path.resolve(raw.TARGET_REPO) : path.join(path.resolve(raw.DATA_DIR), 'demo-repo'),
    testCommand: raw.TEST_COMMAND,
    analysis: {
      minInteractionsForLearning: raw.MIN_INTERACTIONS_FOR_LEARNING,
      minErrorsForBugReport: raw.MIN_ERRORS_FOR_BUG_REPORT,
      minFeatureRequestsForProposal: raw.MIN_FEATURE_REQUESTS_FOR_PROPOSAL,
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
    outboxDir: path.join(path.resolve(raw.DATA_DIR), 'outbox'),
    execution: {
      enabled: raw.EXECUTION_ENABLED,
      baseBranch: raw.BASE_BRANCH,
      remote: raw.GIT_REMOTE,
      worktreeDir: raw.WORKTREE_DIR ? path.resolve(raw.WORKTREE_DIR) : path.join(path.resolve(raw.DATA_DIR), 'worktrees'),
      protectedPaths: raw.PROTECTED_PATHS,
      allowBinary: raw.ALLOW_BINARY_CHANGES,
      allowModeChanges: raw.ALLOW_MODE_CHANGES,
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
