import { createRequire } from 'node:module';
import { z } from 'zod';
import { DEFAULT_OUTCOME_SETTINGS } from './proposals/outcomes/measure-outcomes.ts';
import { DEFAULT_RANKING } from './proposals/ranking/pending-ranking.ts';

/**
 * Every setting the service reads: one entry per variable with its schema, default and description,
 * the Renovate way. config.ts validates them and places each in Config; the README's table and
 * .env.example are generated from this list (scripts/config-docs.ts).
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

/**
 * cron-parser (and luxon under it) costs a noticeable part of a CLI start, so it loads only for a
 * cron someone set: the defaults below are parsed by a test instead (test/config.test.ts).
 */
const require = createRequire(import.meta.url);
function isCron(expression: string): boolean {
  if (DEFAULT_CRONS.has(expression)) return true;
  try {
    const { CronExpressionParser } = require('cron-parser') as typeof import('cron-parser');
    CronExpressionParser.parse(expression);
    return true;
  } catch {
    return false;
  }
}

// Intl's list is the ISO 4217 codes the runtime can format, so a code that passes always prints.
function isCurrency(code: string): boolean {
  return Intl.supportedValuesOf('currency').includes(code);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface Variable {
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
    description:
      "Comma-separated bearer tokens for the HTTP API and the dashboard, each 'name:token' (history says api:name) or a bare token (history says api:<8 hex of its sha256>); unset → one is generated into DATA_DIR/api-token",
    secret: true,
  },
  CONFIG_FILE: { schema: optionalText, description: 'JSON file whose keys are these variable names; the environment overrides it' },
  ENABLE_SELF_IMPROVEMENT: { schema: bool, default: 'false', description: 'Run the scheduled jobs (only when true)' },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: 'pino log level (CLI commands print warnings and errors only, as one line each; --verbose adds info lines and stacks)',
  },
  TARGET_REPO: { schema: optionalText, description: 'Git repository the loop improves (unset → the demo repository under DATA_DIR)' },
  OSV_DIR: {
    schema: optionalText,
    description:
      'Folder of OSV advisories (JSON) the security analyzer matches package-lock.json against; `improvement-loop osv-sync` fills it. Unset → only committed secrets are looked for',
  },
  OSV_SYNC_URL: {
    schema: z.url('must be an http(s) URL'),
    default: 'https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip',
    description: "Zip of OSV advisories that `improvement-loop osv-sync` downloads into OSV_DIR (osv.dev's npm export)",
  },
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
  CURRENCY: {
    schema: z
      .string()
      .trim()
      .transform((v) => v.toUpperCase())
      .refine(isCurrency, 'an ISO 4217 currency code such as USD, EUR or JPY'),
    default: 'USD',
    description: 'Currency of the revenue figures in your telemetry, shown with amounts (feature themes)',
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
  OUTCOME_WINDOW_DAYS: {
    schema: int(1, 90),
    default: String(DEFAULT_OUTCOME_SETTINGS.windowDays),
    description:
      'Days on each side of a change (from its deploy marker, else its merge, else its implementation) over which its measure is compared before and after; the verdict waits until the after window is complete',
  },
  OUTCOME_DEPLOY_ENVIRONMENT: {
    schema: optionalText,
    description:
      'Only deploy markers (POST /api/deployments, the deployments table) to this environment start an outcome window, e.g. production; markers naming no environment always count; unset → every marker',
  },
  OUTCOME_ALPHA: {
    schema: z.coerce.number().gt(0).lt(0.5),
    default: String(DEFAULT_OUTCOME_SETTINGS.alpha),
    description: 'Two-sided significance level below which a before/after difference is called improved or worse rather than no change',
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
  ASSISTANT_ENABLED: {
    schema: bool,
    default: 'true',
    description:
      'Answer questions in Slack (assistant container, mentions, DMs, questions in a proposal thread); Claude with ANTHROPIC_API_KEY, fixed question shapes without it',
  },
  ASSISTANT_ALLOWED: {
    schema: z
      .string()
      .trim()
      .transform((v): 'everyone' | string[] =>
        v.toLowerCase() === 'everyone'
          ? 'everyone'
          : v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
      )
      .refine(
        (v) => v === 'everyone' || (v.length > 0 && v.every((id) => /^[UWS][A-Z0-9]{2,20}$/.test(id))),
        'everyone, or comma-separated user (U…) and user-group (S…) ids',
      ),
    default: 'everyone',
    description: 'Who may ask the assistant: everyone in the workspace, or comma-separated user (U…) and user-group (S…) IDs',
  },
  ASSISTANT_USER_DAILY_TOKENS: {
    schema: int(0, 1e10),
    default: '200000',
    description: 'Tokens one person may spend on assistant answers per UTC day (0 = no limit)',
  },
  ASSISTANT_WORKSPACE_DAILY_TOKENS: {
    schema: int(0, 1e11),
    default: '2000000',
    description: 'Tokens the whole workspace may spend on assistant answers per UTC day (0 = no limit)',
  },
  ASSISTANT_MAX_TOOL_ROUNDS: {
    schema: int(1, 10),
    default: '4',
    description: 'Model requests per answer: each may call read-only tools, the last one must answer',
  },
  ASSISTANT_MODEL: { schema: optionalText, description: 'Claude model of the assistant; unset → ANTHROPIC_MODEL' },
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
  GITHUB_TOKEN: {
    schema: optionalText,
    description:
      'Token (fine-grained: pull requests and checks read/write, contents read) that opens a pull request for each implemented branch pushed to GIT_REMOTE; unset → no pull requests',
    secret: true,
  },
  GITHUB_APP_ID: {
    schema: optionalText,
    description:
      'Instead of GITHUB_TOKEN: the GitHub App that opens the pull requests (with GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID)',
  },
  GITHUB_APP_PRIVATE_KEY: {
    schema: optionalText,
    description: "The GitHub App's private key (PEM; `\\n` escapes are read as line breaks)",
    secret: true,
  },
  GITHUB_APP_INSTALLATION_ID: {
    schema: optionalText,
    description: "The App's installation on GITHUB_REPOSITORY (the number in the installation's settings URL)",
  },
  GITHUB_REPOSITORY: {
    schema: z
      .string()
      .optional()
      .transform((v) => (v && v.trim() ? v.trim() : undefined))
      .refine((v) => v === undefined || /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(v), 'must be owner/name'),
    description: 'The repository (owner/name) GIT_REMOTE points at, where pull requests are opened',
  },
  GITHUB_API_URL: {
    schema: z.string().trim().url('must be a URL'),
    default: 'https://api.github.com',
    description: 'Base URL of the GitHub REST API (GitHub Enterprise: https://HOST/api/v3; tests: a local fake)',
  },
  GITHUB_WEBHOOK_SECRET: {
    schema: optionalText,
    description:
      'Secret of the repository webhook that POSTs to /github/webhooks (check_suite, check_run, pull_request, pull_request_review, pull_request_review_comment, issue_comment); unset → open pull requests are polled instead',
    secret: true,
  },
  GITHUB_TIMEOUT_MS: {
    schema: int(1000, 120_000),
    default: '10000',
    description: 'Each GitHub (or GitLab) API call, answer included, is abandoned after this long',
  },
  SCHEDULE_PULL_REQUESTS: {
    schema: cron,
    default: '*/10 * * * *',
    description: 'Cron of the pull-request poll (state, checks, reviews of open pull requests); runs only without GITHUB_WEBHOOK_SECRET',
  },
  GITLAB_TOKEN: {
    schema: optionalText,
    description:
      'Instead of GitHub: a GitLab token (scope api) that opens a merge request for each implemented branch pushed to GIT_REMOTE',
    secret: true,
  },
  GITLAB_PROJECT: { schema: optionalText, description: 'The GitLab project (group/name or its numeric id) GIT_REMOTE points at' },
  GITLAB_WEBHOOK_SECRET: {
    schema: optionalText,
    description:
      'Secret token of the project webhook that POSTs to /gitlab/webhooks (merge request, pipeline and comment events); unset → merge requests are polled',
    secret: true,
  },
  GITLAB_API_URL: {
    schema: z.string().trim().url('must be a URL'),
    default: 'https://gitlab.com/api/v4',
    description: 'Base URL of the GitLab REST API (self-managed: https://HOST/api/v4; tests: a local fake)',
  },
  CODE_HOST_APP_NAME: {
    schema: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.[\]-]*$/, 'must be a user or app name, without the @'),
    default: 'improvement-loop',
    description:
      'The name pull-request comments address the app by: a comment starting `@<name> revise <instructions>` (or `/improve revise <instructions>`) from someone with write access asks Claude to revise the patch',
  },
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
  DEPENDENCY_UPGRADE_PATCHES: {
    schema: z.enum(['security', 'off']),
    default: 'security',
    description:
      "Safety: 'security' lets a security proposal's patch edit package-lock.json, in the upgrade's shape only (the named package to its fixed version, a registry tarball, a sha512 hash); 'off' keeps every lockfile edit refused",
  },
  TRIAL_INSTALL_NETWORK: {
    schema: z.enum(['none', 'registry']),
    default: 'registry',
    description:
      "How the dependency install before the tests gets packages: first `npm ci --offline --ignore-scripts` from TRIAL_NPM_CACHE with no network; when a package is not there, 'registry' → `npm ci --ignore-scripts` with the network, for the install step only (the tests never have it); 'none' → fail in seconds, naming the missing package",
  },
  TRIAL_INSTALL_TIMEOUT_MS: {
    schema: int(1000, 3600 * 1000),
    default: '180000',
    description: 'The dependency install before the tests is killed after this long (each attempt)',
  },
  TRIAL_NPM_CACHE: {
    schema: optionalText,
    description:
      "npm cache the offline install reads (read-only; the sandbox user must be able to read it); unset → the service user's ~/.npm",
  },
  AGENT_MAX_TURNS: {
    schema: int(1, 200),
    default: '20',
    description: 'Turns the Claude editing agent may take for one proposal without a patch',
  },
  AGENT_TOKEN_BUDGET: { schema: int(1000, 1e9), default: '200000', description: 'Tokens the editing agent may spend on one proposal' },
  RANKING_MIN_DECISIONS: {
    schema: int(2, 100000),
    default: String(DEFAULT_RANKING.minDecisions),
    description:
      'Approvals and rejections needed (at least a fifth of them on each side) before pending proposals are ranked by a model of past decisions instead of by priority; the model must also beat the rule on the newest quarter of them',
  },
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
  PUBLIC_URL: {
    schema: optionalText.pipe(
      z
        .url({ protocol: /^https?$/, message: 'an http(s) URL such as https://improve.example.com' })
        .transform((v) => v.replace(/\/+$/, ''))
        .optional(),
    ),
    description:
      'External base URL of the dashboard (e.g. https://improve.example.com); Slack messages and pull requests link to it and chart images are served under it; unset → no dashboard links or chart images in Slack',
  },
} satisfies Record<string, Variable>;

export type VariableName = keyof typeof VARIABLES;

/** The crons VARIABLES gives as defaults: known good (a test parses each), so isCron skips them. */
const DEFAULT_CRONS: ReadonlySet<string> = new Set(
  Object.values(VARIABLES as Record<string, Variable>).flatMap((v) => (v.schema === cron && v.default !== undefined ? [v.default] : [])),
);
