/**
 * Telemetry, as the analyzers need it. Aggregation is pushed down: percentiles, counts and
 * group-bys run in the warehouse (DuckDB locally, BigQuery in production) and Node receives
 * aggregates. Text that must be analyzed in Node is grouped there first where it can be (error
 * messages by key, with counts), and a read that takes a cap reports it.
 * Tables (the seed's): ai_learning.customer_interactions, performance.api_metrics, logs.error_logs;
 * write-back: ai_learning.agent_executions, performance.optimizations. Optional: deployments (deploy markers).
 */
import type { Deployment } from '../domain/deployment.ts';

export interface TimeWindow {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** Rows fetched for analysis in Node, with how many there were before the cap. */
export interface Capped<T> {
  rows: T[];
  /** How many rows matched before capping. */
  total: number;
  cap: number;
  capped: boolean;
}

/** The rows kept (at most `cap`), with how many matched: every adapter reports a cap the same way. */
export function cappedRows<T>(rows: T[], total: number, cap: number): Capped<T> {
  return { rows: rows.slice(0, cap), total, cap, capped: total > cap };
}

export interface EndpointStats {
  endpoint: string;
  calls: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Mean of the error_rate column over the calls. */
  errorRate: number;
}

export interface EndpointSeriesPoint {
  endpoint: string;
  bucketStart: Date;
  calls: number;
  p95Ms: number;
}

/** Identical error messages (per endpoint) counted in the warehouse; Node mines templates from these. */
export interface ErrorMessageCount {
  message: string;
  /** One stack of the message's occurrences (the latest). */
  stack: string | null;
  endpoint: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

/**
 * Error messages grouped in the warehouse by a key (adapters/warehouse/error-message-key.ts) that
 * joins only messages the template miner masks alike: every line of the window counted, no cap.
 * `message` is the group's most frequent message (ties: the latest seen, then the first in text
 * order) and `stack` that message's latest stack, so a group reads like its commonest member.
 */
export interface ErrorGroupCount extends ErrorMessageCount {
  key: string;
  /** Distinct messages in the group. */
  messages: number;
  /** Occurrences of `message` itself. */
  messageCount: number;
  /** When `message` itself was last seen. */
  messageLastSeen: Date;
}

export interface InteractionTypeStats {
  interactionType: string;
  interactions: number;
  /** null when no row has a sentiment score. */
  meanSentiment: number | null;
  /** outcome → count */
  outcomes: Record<string, number>;
}

export interface InteractionText {
  customerId: string;
  interactionType: string;
  message: string;
  response: string | null;
  outcome: string | null;
  sentiment: number | null;
  metadata: Record<string, unknown>;
  timestamp: Date;
}

/** Interactions of one message and outcome, counted in the warehouse (an outcome comparison's input). */
export interface MatchedInteractionCount {
  message: string;
  /** As recorded; null when there is none. */
  outcome: string | null;
  count: number;
}

/**
 * Learning's grouped read (analyzers/learning/interaction-groups.ts): the window's interactions
 * grouped by conversation, outcome, type and sentiment class, so the analyzer's memory grows with
 * distinct conversations, not rows. The few row-level answers it needs (the clustering's sample,
 * customers per topic, answer candidates, the profiled customers' rows) are asked of the warehouse
 * with what Node decided in between (`InteractionGroupPlan`).
 */
export interface InteractionFacet {
  message: string;
  response: string | null;
  /** As stored; null when absent. */
  outcome: string | null;
  /** 'unknown' when absent. */
  interactionType: string;
  /** ≥ +0.25 good, ≤ −0.25 bad, else (or no score, or NaN) neutral. */
  sentimentClass: 'good' | 'bad' | 'neutral';
  count: number;
  /** Sum and count of the scores (NaN left out). */
  sentimentSum: number;
  sentimentCount: number;
}

/** Which rows the topic clustering sees: per stratum, the first `quota` rows by the row hash. */
export interface InteractionSampleSpec {
  /** Responses whose rows form the first stratum (unsure answers). */
  unsureResponses: (string | null)[];
  /** Raw outcomes whose class is good, and bad (outcome.ts); the rest fall to the sentiment class. */
  goodOutcomes: string[];
  badOutcomes: string[];
  /** Rows taken of the unsure, the bad-verdict and the other rows. */
  quotas: [number, number, number];
}

/** A conversation's rows in the sample: how many, and the input position of the first (0-based). */
export interface SampledConversation {
  message: string;
  response: string | null;
  sampled: number;
  firstPosition: number;
}

export interface ConversationTopic {
  message: string;
  response: string | null;
  topic: number;
  /** Rank of (normalized answer, message) among the topic's pairs: the answer candidates' order. */
  pairRank: number;
  /** A good verdict on a row of it makes a success: its answer is sure and not blank. */
  answerable: boolean;
}

export interface InteractionTopicSpec {
  conversations: ConversationTopic[];
  goodOutcomes: string[];
  badOutcomes: string[];
  /** A topic with more successes than this is judged on this many, evenly spaced. */
  maxCandidates: number;
  /** Profiled customers: at least `minInteractions`, the `maxProfiles` most active. */
  minInteractions: number;
  maxProfiles: number;
}

export interface InteractionGroupPlan {
  /** Asked with every facet of the window; answers which rows to sample. */
  sample(facets: readonly InteractionFacet[]): InteractionSampleSpec;
  /** Asked with the sampled conversations; answers each conversation's topic. */
  topics(sampled: readonly SampledConversation[]): InteractionTopicSpec;
}

export interface AnswerCandidate {
  topic: number;
  response: string;
  sentiment: number | null;
}

export interface InteractionGroups {
  facets: InteractionFacet[];
  /** Distinct customers per topic (a missing customer id counts as ''). */
  topicCustomers: { topic: number; customers: number }[];
  /** Successful rows per topic, all of them up to maxCandidates, else that many evenly spaced. */
  candidates: AnswerCandidate[];
  /** Every row of the profiled customers, in text order, with its conversation's topic (null: none). */
  profileRows: (InteractionText & { topic: number | null })[];
}

export interface AgentExecutionRecord {
  proposalId: string;
  status: string;
  actor: string;
  detail: string;
  timestamp: Date;
}

export interface OptimizationRecord {
  proposalId: string;
  endpoint: string;
  beforeP95Ms: number;
  afterP95Ms: number;
  /** before − after, positive when faster. */
  responseTimeReduction: number;
  timestamp: Date;
}

/** One telemetry table over a window: what a cycle reports when the window holds nothing. */
export interface TableCoverage {
  /** Schema-qualified, e.g. "performance.api_metrics". */
  table: string;
  rowsInWindow: number;
  /** The newest timestamp of the whole table; null when it has no rows. */
  newest: Date | null;
}

export interface TelemetryWarehouse {
  readonly kind: 'duckdb' | 'bigquery';
  /** The telemetry tables it holds (schema-qualified); absent means all three. */
  readonly tables?: readonly string[];
  /** Rows per held table in the window and each table's newest timestamp. */
  coverage?(window: TimeWindow): Promise<TableCoverage[]>;
  /** A line for the start banner, e.g. "duckdb (bundled sample, 1,000,000 metric rows)". */
  describe(): string;
  endpointStats(window: TimeWindow): Promise<EndpointStats[]>;
  /** p95 per endpoint per bucket, for regression detection; all endpoints when `endpoints` is empty. */
  endpointSeries(window: TimeWindow, bucket: 'hour' | 'day', endpoints: string[]): Promise<EndpointSeriesPoint[]>;
  errorMessages(window: TimeWindow, cap: number): Promise<Capped<ErrorMessageCount>>;
  /**
   * Every error line of the window, grouped by key and endpoint, most frequent message first.
   * Absent: the bugs analyzer reads errorMessages without a cap.
   */
  errorGroups?(window: TimeWindow): Promise<ErrorGroupCount[]>;
  interactionStats(window: TimeWindow): Promise<InteractionTypeStats[]>;
  interactionTexts(window: TimeWindow, cap: number): Promise<Capped<InteractionText>>;
  /**
   * Interactions of the window whose message has a word starting with one of `prefixes` (any case;
   * a prefix is matched at a word's start, see adapters/warehouse/prefix-pattern.ts), grouped by
   * message and outcome. A coarse filter pushed into SQL: the caller decides which messages belong
   * to its topic. Absent: learning and feature outcomes are not measured.
   */
  interactionsMatching?(window: TimeWindow, prefixes: readonly string[]): Promise<MatchedInteractionCount[]>;
  /** Deploy markers of the window from the optional deployments table, oldest first; [] without the table. */
  deployments?(window: TimeWindow): Promise<Deployment[]>;
  /**
   * The rows of the window whose message `pick` keeps, in text order: `pick` sees each distinct
   * message once, so a caller that wants few rows (the feature requests) never holds them all.
   * Absent: the feature analyzer reads interactionTexts.
   */
  interactionsWithMessages?(window: TimeWindow, pick: (messages: readonly string[]) => readonly string[]): Promise<InteractionText[]>;
  /** Learning's grouped read, every row of the window; absent: learning reads interactionTexts. */
  interactionGroups?(window: TimeWindow, plan: InteractionGroupPlan): Promise<InteractionGroups>;
  recordExecution(record: AgentExecutionRecord): Promise<void>;
  recordOptimization(record: OptimizationRecord): Promise<void>;
  /** Throws when the warehouse does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
