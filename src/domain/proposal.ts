/** The proposal: what the loop asks a person to decide on. Pure data, no I/O. */

export const PROPOSAL_TYPES = ['learning', 'performance', 'code_quality', 'feature', 'bug_fix', 'security'] as const;
export type ProposalType = (typeof PROPOSAL_TYPES)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const STATUSES = ['pending', 'approved', 'rejected', 'executing', 'implemented', 'failed', 'rolled_back', 'merged'] as const;
export type ProposalStatus = (typeof STATUSES)[number];

/**
 * Code-quality proposals carry a category because policy treats tests and docs differently; security
 * proposals say whether they are about a vulnerable dependency or a committed secret.
 */
export const CATEGORIES = ['tests', 'docs', 'refactor', 'complexity', 'duplication', 'coverage', 'other', 'dependency', 'secret'] as const;
export type ProposalCategory = (typeof CATEGORIES)[number];

/** One measured number behind a proposal, e.g. `{ label: 'p95 latency', value: 2840, unit: 'ms' }`. */
export interface EvidenceItem {
  label: string;
  value: string | number;
  unit?: string;
}

/**
 * The measure behind a finding as a compact series, for a chart on the dashboard and in Slack: an
 * endpoint's p95 with the regression's onset marked, an error group's daily counts, a theme's
 * requests per week. Measured at filing; a few hundred points at most.
 */
export interface EvidenceSeries {
  /** 'line' for a level over time (a p95), 'bars' for counts per bucket. */
  kind: 'line' | 'bars';
  /** What is drawn, e.g. "p95 latency of GET /api/orders/:id, per hour". */
  label: string;
  unit: string;
  bucket: 'hour' | 'day' | 'week';
  /** Bucket starts (ISO) and values, oldest first. */
  points: { at: string; value: number }[];
  /** Where the change began (a regression's onset). */
  mark?: { at: string; label: string };
}

export interface HistoryEntry {
  /** Version the proposal reached with this entry: history[i].version === i + 1. */
  version: number;
  at: string;
  actor: string;
  action: string;
  from: ProposalStatus | null;
  to: ProposalStatus;
  reason?: string;
}

/** Tests counted from the runner's summary (see test-summary.ts). */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** The test count of the base tree and of the change: a change may not make it drop. */
export interface TestCountComparison {
  base?: TestCounts;
  change?: TestCounts;
}

export interface ExecutionResult {
  /** A learning proposal's execution: the knowledge entry it published (rollback withdraws it). */
  published?: { category: string; key: string };
  startedAt?: string;
  finishedAt?: string;
  branch?: string;
  commit?: string;
  diffstat?: string;
  testSummary?: string;
  testCounts?: TestCountComparison;
  outputTail?: string;
  error?: string;
}

/** What a proposal is about in the platform and the code: lets verification and the executor find it. */
export interface ProposalSubject {
  /** e.g. "GET /api/orders/:id" */
  endpoint?: string;
  /** Repository-relative files the finding points at, most relevant first. */
  files?: string[];
}

/** What writing one proposal cost; absent when templates wrote it without asking a model. */
export interface WriterUsage {
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  /** null when the model has no price in the table. */
  costUsd: number | null;
}

/** What trying a patch in a throwaway worktree showed, before anyone is asked to approve it. */
export interface PatchTrial {
  /** false when the rails refused the patch or its tests failed. */
  passed: boolean;
  /** One line: "12 passed", "refused: touches .github/workflows/ci.yml", "tests failed (exit 1)". */
  summary: string;
  testCounts?: TestCountComparison;
  outputTail?: string;
  at: string;
}

/**
 * The knowledge-base entry a learning proposal stands for (an answer that worked for a topic):
 * Execute publishes it as `knowledge:<category>:<key>`, Rollback withdraws it. It never touches code.
 */
export interface ProposedKnowledge {
  category: string;
  key: string;
  content: Record<string, unknown>;
}

/**
 * A security proposal's dependency upgrade, as the analyzer measured it (never from the writer): the
 * executor lets the patch edit the lockfile only in the shape this names (docs/EXECUTOR.md).
 */
export interface DependencyUpgrade {
  /** Repository-relative package-lock.json and the package.json beside it. */
  lockfile: string;
  manifest: string;
  package: string;
  /** The vulnerable version and the lowest version the advisories do not affect. */
  from: string;
  to: string;
  /** Tree locations holding `from` (e.g. node_modules/lodash). */
  locations: string[];
  advisories: string[];
}

/** What a writer produces from a finding, before the store gives it an id and a status. */
export interface ProposalDraft {
  type: ProposalType;
  category?: ProposalCategory;
  title: string;
  summary: string;
  evidence: EvidenceItem[];
  priority: Priority;
  risk: string;
  implementationPlan: string;
  rollbackPlan: string;
  testPlan: string;
  patch?: string;
  /**
   * The writer says the patch edits or deletes existing tests (category 'tests' says it too); without
   * it the executor refuses such a patch, since a change could otherwise pass by weakening its tests.
   */
  changesTests?: boolean;
  fingerprint: string;
  /** Who or what wrote the text: 'template' or a model name. */
  writtenBy?: string;
  /** Which analyzer produced the finding. */
  source?: string;
  subject?: ProposalSubject;
  writerUsage?: WriterUsage;
  /** The finding's size in its analyzer's unit (excess ms × calls, occurrences, requests...); compared when a rejected finding returns. */
  magnitude?: number;
  /** Set when the patch was tried before the proposal was filed. */
  preflight?: PatchTrial;
  /** The measure behind the finding, for a chart (from the finding, never from the writer). */
  series?: EvidenceSeries;
  /** Learning proposals: the entry Execute publishes; without one there is nothing to execute. */
  knowledge?: ProposedKnowledge;
  /** Security proposals: the upgrade their lockfile patch may make (from the finding, never from the writer). */
  upgrade?: DependencyUpgrade;
}

/** The pull request (GitHub) or merge request (GitLab) an implemented change was opened as. */
export interface PullRequestLink {
  host: 'github' | 'gitlab';
  number: number;
  url: string;
  /** What the code host last said: open, closed (unmerged) or merged. */
  state: 'open' | 'closed' | 'merged';
  /** One line on the CI checks of its head commit, e.g. "3 passed, 1 failed"; absent until known. */
  checks?: string;
  /** The latest review verdict: approved, changes_requested or commented. */
  review?: string;
}

export interface Proposal extends ProposalDraft {
  id: string;
  status: ProposalStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
  history: HistoryEntry[];
  /** sha256 of the patch a person approved; the executor refuses any other change. */
  approvedPatchHash?: string;
  autoExecute?: boolean;
  execution?: ExecutionResult;
  /** Set once a pull request was opened for the implemented branch (CODE_HOST settings). */
  pullRequest?: PullRequestLink;
}

/** Statuses a proposal can still move out of; a finding seen again updates these instead of filing anew. */
export const OPEN_STATUSES: readonly ProposalStatus[] = ['pending', 'approved', 'executing', 'failed'];

export function isOpen(status: ProposalStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export function isTerminal(status: ProposalStatus): boolean {
  return !isOpen(status);
}
