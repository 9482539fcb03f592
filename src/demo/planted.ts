import { demoCommit, type DemoCommit } from './demo-history.ts';
import { apportion } from './sample/apportion.ts';

/**
 * The ground truth of the bundled sample telemetry: every problem planted in it, with the numbers
 * the analyzers should find. The generator reads its parameters from here, the tests measure the
 * generated files against them through the DuckDB adapter, and the README cites them.
 *
 * Time: the sample covers SAMPLE_DAYS days ending at SAMPLE_END (2026-01-31T00:00:00Z, exclusive),
 * i.e. 2026-01-01 to 2026-01-30 inclusive; run cycles with `--as-of 2026-01-31` to analyze it.
 * "Day n" is the n-th day from the start, 0-based (day 0 = 2026-01-01, day 20 = 2026-01-21).
 *
 * Sizes: counts of interactions and metric rows scale with the chosen size and the shares below
 * hold at any size; error counts do not depend on the size (a bug fails as often however much
 * traffic is sampled), only on the days covered.
 *
 * Measured through the DuckDB adapter in the default sample (seed 20260131, 1,000,000 metric rows,
 * 100,000 interactions, 1,388 error rows), 2026-01-01 to 2026-01-31:
 *   GET /api/reports/export  p50 1,608 ms, p95 3,397 ms, p99 4,746 ms (20,000 calls); next slowest p95: POST /api/checkout 879 ms
 *   GET /api/orders/:id      daily p95 293–308 ms on days 0–19, 846 ms on day 20, 889–912 ms on days 21–29
 *   errors                   638 fractional-quantity, 296 payment-timeout, 306 user-record-missing,
 *                            112 csv-column-mismatch (new, from 2026-01-25); 36 noise rows, at most 4 per template
 *   feature requests         1,200 CSV export, 350 SSO/SAML (297 enterprise), 600 dark mode
 *   knowledge gap            1,500 annual-plan refund questions: 825 escalated, 525 unresolved, 150 resolved
 *   well answered            3,000 password resets: 2,820 resolved
 */

export const SAMPLE_END = new Date('2026-01-31T00:00:00.000Z');
export const SAMPLE_DAYS = 30;
export const SAMPLE_SEED = 20260131;
export const DEFAULT_SAMPLE_SIZE = { interactions: 100_000, metrics: 1_000_000 } as const;
/** Where the service's code lives in production: the prefix of every stack frame in the sample. */
export const DEMO_APP_ROOT = '/srv/app';
/** The PERFORMANCE_THRESHOLD_MS default the slow endpoint is planted against. */
export const PLANTED_THRESHOLD_MS = 2000;

const DAY_MS = 86_400_000;

export function sampleStart(days: number = SAMPLE_DAYS, end: Date = SAMPLE_END): Date {
  return new Date(end.getTime() - days * DAY_MS);
}

/** Traffic and latency of one endpoint: lognormal latency, so p95 = median × e^(1.645 σ). */
export interface EndpointProfile {
  endpoint: string;
  /** Share of all metric rows (calls). */
  share: number;
  medianMs: number;
  /** σ of ln(latency). */
  sigma: number;
  /** Probability that a call fails (error_rate 1, status 500). */
  errorRate: number;
}

/** Every endpoint of the demo service (each is an `app.get/post(...)` in its src/server.js). Shares sum to 1. */
export const ENDPOINT_PROFILES: readonly EndpointProfile[] = [
  { endpoint: 'GET /api/products', share: 0.18, medianMs: 60, sigma: 0.35, errorRate: 0.002 },
  { endpoint: 'GET /api/products/:id', share: 0.14, medianMs: 45, sigma: 0.3, errorRate: 0.002 },
  { endpoint: 'GET /api/orders', share: 0.1, medianMs: 140, sigma: 0.35, errorRate: 0.003 },
  { endpoint: 'GET /api/orders/:id', share: 0.16, medianMs: 150, sigma: 0.4214, errorRate: 0.004 },
  { endpoint: 'POST /api/orders', share: 0.05, medianMs: 220, sigma: 0.38, errorRate: 0.006 },
  { endpoint: 'GET /api/search', share: 0.1, medianMs: 180, sigma: 0.5, errorRate: 0.003 },
  { endpoint: 'POST /api/auth/login', share: 0.07, medianMs: 95, sigma: 0.3, errorRate: 0.005 },
  { endpoint: 'GET /api/users/me', share: 0.09, medianMs: 35, sigma: 0.3, errorRate: 0.001 },
  { endpoint: 'POST /api/checkout', share: 0.04, medianMs: 420, sigma: 0.45, errorRate: 0.012 },
  { endpoint: 'POST /api/refunds', share: 0.01, medianMs: 260, sigma: 0.4, errorRate: 0.008 },
  { endpoint: 'GET /api/reports/export', share: 0.02, medianMs: 1600, sigma: 0.4583, errorRate: 0.015 },
  { endpoint: 'GET /api/health', share: 0.04, medianMs: 4, sigma: 0.25, errorRate: 0 },
];

/** (a) The one endpoint whose p95 is over the threshold, all month long; no other endpoint's p95 exceeds ~900 ms. */
export const PLANTED_SLOW_ENDPOINT = {
  endpoint: 'GET /api/reports/export',
  p50Ms: 1600,
  p95Ms: 3400,
  p99Ms: 4650,
  thresholdMs: PLANTED_THRESHOLD_MS,
  /** The cause in the demo repository: one customer lookup per exported order (N+1), while db.fetchCustomers(ids) exists. */
  suspect: { file: 'src/reports/export.js', function: 'exportReport' },
  introducedBy: demoCommit('03-report-export'),
} as const;

/** (b) p95 of GET /api/orders/:id triples when the order-history commit is deployed, mid-morning of day 20. */
export const PLANTED_REGRESSION = {
  endpoint: 'GET /api/orders/:id',
  startsAt: new Date('2026-01-21T09:00:00.000Z'),
  /** Day 20 (2026-01-21) is mixed: ~9 h before, ~15 h after, so its p95 is close to the after value. */
  dayIndex: 20,
  beforeP50Ms: 150,
  beforeP95Ms: 300,
  afterP50Ms: 450,
  afterP95Ms: 900,
  /** The cause: loadOrderHistory() reads every event of every order to keep one order's. */
  suspect: { file: 'src/orders/get-order.js', function: 'loadOrderHistory' },
  introducedBy: demoCommit('11-order-history'),
} as const;

export interface PlantedFrame {
  /** As topInAppFrames reports it (`async ` and ` [as alias]` dropped). */
  function: string;
  /** Relative to the repository root. */
  file: string;
  line: number;
  column: number;
}

export interface PlantedErrorGroup {
  key: string;
  errorType: string;
  endpoint: string;
  /** The message with its variable parts as maskMessage() writes them. */
  maskedTemplate: string;
  /** One message of the group, as logged. */
  example: string;
  /** The stack of every occurrence below its first line, with DEMO_APP_ROOT paths; frames as the demo code really throws them. */
  stackFrames: readonly string[];
  /** The in-app frames of that stack, top first. */
  frames: readonly PlantedFrame[];
  /** The first occurrence is at or after this time (the introducing commit's date: deployed on commit). */
  startsAt: Date;
  /** Occurrences per day once started, before rounding the total (expectedErrorCount). */
  perDay: number;
  /** First seen in the last 7 days of the sample: what a weekly cycle as of SAMPLE_END sees as new. */
  isNew: boolean;
  introducedBy: DemoCommit;
}

const ROUTER_FRAMES = [
  '    at async Object.handle (/srv/app/src/router.js:19:14)',
  '    at async Server.<anonymous> (/srv/app/src/router.js:32:24)',
];

/** (c) Recurring errors, each thrown by a line a demo commit introduced; messages vary in ids, numbers, emails. */
export const PLANTED_ERROR_GROUPS: readonly PlantedErrorGroup[] = [
  {
    key: 'fractional-quantity',
    errorType: 'TypeError',
    endpoint: 'GET /api/orders/:id',
    maskedTemplate: 'Invalid quantity <NUM> for SKU-<NUM> in order <NUM>',
    example: 'Invalid quantity 1.5 for SKU-1001 in order 1042',
    stackFrames: [
      '    at formatOrderTotal (/srv/app/src/orders/format.js:28:13)',
      '    at Object.getOrder [as handler] (/srv/app/src/orders/get-order.js:9:17)',
      ...ROUTER_FRAMES,
    ],
    frames: [
      { function: 'formatOrderTotal', file: 'src/orders/format.js', line: 28, column: 13 },
      { function: 'Object.getOrder', file: 'src/orders/get-order.js', line: 9, column: 17 },
      { function: 'Object.handle', file: 'src/router.js', line: 19, column: 14 },
      { function: 'Server.<anonymous>', file: 'src/router.js', line: 32, column: 24 },
    ],
    startsAt: new Date('2026-01-04T10:15:00.000Z'),
    perDay: 24,
    isNew: false,
    introducedBy: demoCommit('06-validate-quantities'),
  },
  {
    key: 'payment-timeout',
    errorType: 'PaymentTimeoutError',
    endpoint: 'POST /api/checkout',
    maskedTemplate: 'Payment provider timed out after <DUR> charging order <NUM> for <EMAIL>',
    example: 'Payment provider timed out after 4870 ms charging order 1043 for ada@example.com',
    stackFrames: [
      '    at chargeCard (/srv/app/src/payments/charge.js:22:11)',
      '    at Object.createCheckout [as handler] (/srv/app/src/checkout/create-checkout.js:13:20)',
      ...ROUTER_FRAMES,
    ],
    frames: [
      { function: 'chargeCard', file: 'src/payments/charge.js', line: 22, column: 11 },
      { function: 'Object.createCheckout', file: 'src/checkout/create-checkout.js', line: 13, column: 20 },
      { function: 'Object.handle', file: 'src/router.js', line: 19, column: 14 },
      { function: 'Server.<anonymous>', file: 'src/router.js', line: 32, column: 24 },
    ],
    startsAt: new Date('2026-01-01T09:00:00.000Z'),
    perDay: 10,
    isNew: false,
    introducedBy: demoCommit('04-checkout'),
  },
  {
    key: 'user-record-missing',
    errorType: 'Error',
    endpoint: 'POST /api/auth/login',
    maskedTemplate: 'User record missing for <EMAIL> in workspace <NUM>',
    example: 'User record missing for maria.keller@example.org in workspace 17',
    stackFrames: [
      '    at findUserByEmail (/srv/app/src/users/find-user.js:13:20)',
      '    at async Object.login [as handler] (/srv/app/src/auth/login.js:9:16)',
      ...ROUTER_FRAMES,
    ],
    frames: [
      { function: 'findUserByEmail', file: 'src/users/find-user.js', line: 13, column: 20 },
      { function: 'Object.login', file: 'src/auth/login.js', line: 9, column: 16 },
      { function: 'Object.handle', file: 'src/router.js', line: 19, column: 14 },
      { function: 'Server.<anonymous>', file: 'src/router.js', line: 32, column: 24 },
    ],
    startsAt: new Date('2026-01-10T14:20:00.000Z'),
    perDay: 15,
    isNew: false,
    introducedBy: demoCommit('08-normalize-email'),
  },
  {
    key: 'csv-column-mismatch',
    errorType: 'Error',
    endpoint: 'GET /api/reports/export',
    maskedTemplate: 'Column count mismatch in report <NUM>: expected <NUM> fields, got <NUM> (row <NUM>)',
    example: 'Column count mismatch in report 48812: expected 7 fields, got 6 (row 1)',
    stackFrames: [
      '    at toCsvRow (/srv/app/src/reports/csv.js:26:11)',
      '    at Object.exportReport [as handler] (/srv/app/src/reports/export.js:32:16)',
      ...ROUTER_FRAMES,
    ],
    frames: [
      { function: 'toCsvRow', file: 'src/reports/csv.js', line: 26, column: 11 },
      { function: 'Object.exportReport', file: 'src/reports/export.js', line: 32, column: 16 },
      { function: 'Object.handle', file: 'src/router.js', line: 19, column: 14 },
      { function: 'Server.<anonymous>', file: 'src/router.js', line: 32, column: 24 },
    ],
    startsAt: new Date('2026-01-25T09:30:00.000Z'),
    perDay: 20,
    isNew: true,
    introducedBy: demoCommit('13-csv-export'),
  },
];

/**
 * Occurrences of a planted group in a sample covering [start, end): perDay × the days it was live,
 * rounded. Exact: the generator places exactly this many.
 */
export function expectedErrorCount(group: PlantedErrorGroup, start: Date = sampleStart(), end: Date = SAMPLE_END): number {
  const liveMs = end.getTime() - Math.max(start.getTime(), group.startsAt.getTime());
  return liveMs <= 0 ? 0 : Math.round((group.perDay * liveMs) / DAY_MS);
}

/** Noise errors: distinct one-off problems (timeouts, bad input...), each logged at most this often, below MIN_ERRORS_FOR_BUG_REPORT (5). */
export const NOISE_ERROR_MAX_OCCURRENCES = 4;

/** Who asks: the plan of the customer, and so the metadata (plan or tier, revenue) of the interaction. */
export type Plan = 'free' | 'pro' | 'business' | 'enterprise';

export interface PlantedFeatureTheme {
  key: string;
  /** What the theme is about, in words a label should contain. */
  label: string;
  /** Words every message of the theme contains at least one of. */
  keywords: readonly string[];
  /** Share of all interactions. */
  share: number;
  /** Share of the theme's requests by the requester's plan. */
  plans: Partial<Record<Plan, number>>;
}

/** (d) Feature requests: CSV export is asked most, SSO/SAML least but by enterprise accounts, dark mode in between by small ones. */
export const PLANTED_FEATURE_THEMES: readonly PlantedFeatureTheme[] = [
  {
    key: 'csv-export',
    label: 'export to CSV',
    keywords: ['csv'],
    share: 0.012,
    plans: { free: 0.35, pro: 0.4, business: 0.2, enterprise: 0.05 },
  },
  {
    key: 'sso-saml',
    label: 'SSO / SAML single sign-on',
    keywords: ['sso', 'saml'],
    share: 0.0035,
    plans: { business: 0.15, enterprise: 0.85 },
  },
  { key: 'dark-mode', label: 'dark mode', keywords: ['dark'], share: 0.006, plans: { free: 0.6, pro: 0.35, business: 0.05 } },
];

/** Outcome values of customer_interactions. */
export type Outcome = 'resolved' | 'escalated' | 'unresolved' | 'abandoned';

export interface PlantedTopic {
  key: string;
  interactionType: string;
  share: number;
  outcomes: Partial<Record<Outcome, number>>;
  /** Mean sentiment_score (−1..1) of the topic's interactions. */
  meanSentiment: number;
}

/** (e) A knowledge gap: refunds of annual plans. The assistant does not know ("I'm not sure", "I don't know", escalates). */
export const PLANTED_KNOWLEDGE_GAP = {
  key: 'annual-plan-refunds',
  interactionType: 'billing',
  share: 0.015,
  outcomes: { escalated: 0.55, unresolved: 0.35, resolved: 0.1 },
  meanSentiment: -0.45,
  /** Every response of the topic contains one of these. */
  uncertainPhrases: ["I'm not sure", "I don't know", "I don't have information"],
} as const satisfies PlantedTopic & { uncertainPhrases: readonly string[] };

/** (e) A topic answered well every time, whose answers can seed a knowledge entry. */
export const PLANTED_WELL_ANSWERED = {
  key: 'password-reset',
  interactionType: 'account',
  share: 0.03,
  outcomes: { resolved: 0.94, unresolved: 0.04, escalated: 0.02 },
  meanSentiment: 0.6,
  /** Every response of the topic contains this. */
  answerPhrase: 'Forgot password',
} as const satisfies PlantedTopic & { answerPhrase: string };

/** How many interactions a planted theme or topic has in a sample of `interactions` rows: exact. */
export function plantedInteractionCount(share: number, interactions: number): number {
  return Math.round(share * interactions);
}

/** Exact outcome counts of a planted topic in a sample of `interactions` rows (largest remainder). */
export function plantedOutcomeCounts(topic: PlantedTopic, interactions: number): Record<string, number> {
  const names = Object.keys(topic.outcomes);
  const counts = apportion(
    plantedInteractionCount(topic.share, interactions),
    names.map((name) => topic.outcomes[name as Outcome]!),
  );
  return Object.fromEntries(names.map((name, i) => [name, counts[i]!]));
}

/** Exact requester-plan counts of a feature theme in a sample of `interactions` rows (largest remainder). */
export function plantedPlanCounts(theme: PlantedFeatureTheme, interactions: number): Partial<Record<Plan, number>> {
  const plans = Object.keys(theme.plans) as Plan[];
  const counts = apportion(
    plantedInteractionCount(theme.share, interactions),
    plans.map((plan) => theme.plans[plan]!),
  );
  return Object.fromEntries(plans.map((plan, i) => [plan, counts[i]!]));
}

/** (f) For the code-quality analyzer, in the demo repository at HEAD. */
export const PLANTED_CODE_QUALITY = {
  /** Cyclomatic complexity 19 by ESLint's `complexity` rule (over the usual threshold of 10; ESLint's default of 20 misses it). */
  complexFunction: { file: 'src/pricing/discounts.js', function: 'computeDiscount', complexity: 19 },
  /**
   * The same order filter copied into the export: lines 5–14 of list-orders.js and 10–19 of export.js
   * are identical, the one clone jscpd 5 reports with its defaults (as 5–15 and 10–20, 11 lines with
   * the closing tokens). The copied arrow function has complexity 13.
   */
  duplicate: {
    files: ['src/orders/list-orders.js', 'src/reports/export.js'],
    lines: 10,
    ranges: [
      [5, 14],
      [10, 19],
    ],
  },
  /** The one exported function without a JSDoc comment. */
  undocumentedExport: { file: 'src/products/search.js', function: 'rankProducts' },
  /** Modules no test imports. */
  untested: ['src/pricing/discounts.js', 'src/refunds/create-refund.js', 'src/payments/charge.js'],
} as const;
