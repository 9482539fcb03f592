import type { Deployment } from '../domain/deployment.ts';
import type { ChangeOutcome } from '../domain/outcome.ts';
import type {
  EvidenceItem,
  ExecutionResult,
  HistoryEntry,
  Priority,
  Proposal,
  ProposalDraft,
  ProposalStatus,
  ProposalType,
} from '../domain/proposal.ts';
import type { NoteRequest, ProposalRefresh, RefreshRequest, TransitionChanges, TransitionRequest } from '../domain/requests.ts';

export type { NoteRequest, ProposalRefresh, RefreshRequest, TransitionChanges, TransitionRequest };

export interface DeploymentRecordResult {
  result: 'recorded' | 'duplicate' | 'conflict';
  deployment: Deployment;
}

export interface TransitionResult {
  /** 'duplicate' when the idempotency key had been applied before; `proposal` is then as it is now. */
  outcome: 'applied' | 'duplicate';
  proposal: Proposal;
}

export interface CreateOptions {
  actor: string;
  /** Fixed id (imports, tests); otherwise the store makes one. */
  id?: string;
}

export const LIST_SORTS = ['created', 'status'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

export interface ListQuery {
  status?: ProposalStatus;
  type?: ProposalType;
  /** 1..500 */
  limit: number;
  offset: number;
  /**
   * 'created' (the default): by filing time, newest first ('asc': oldest first). 'status': in
   * LIST_STATUS_ORDER, pending first ('desc': rejected first), newest first within a status.
   * Ties in the same millisecond go in filing order.
   */
  sort?: ListSort;
  direction?: 'asc' | 'desc';
}

/** A proposal without its history and patch: what lists and dashboards show. */
export type ProposalSummary = Omit<Proposal, 'history' | 'patch'> & { hasPatch: boolean };

export interface ListResult {
  items: ProposalSummary[];
  total: number;
}

/** A list page as stored: each row a ProposalSummary as JSON text, for a caller that sends it on as JSON. */
export interface ListRows {
  rows: string[];
  total: number;
}

export interface ActivityEntry extends HistoryEntry {
  proposalId: string;
  type: ProposalType;
  title: string;
}

/** A realized performance gain measured after a performance proposal was implemented. */
export interface PerformanceGain {
  proposalId: string;
  endpoint: string;
  beforeMs: number;
  afterMs: number;
  measuredAt: string;
}

export interface KnowledgeEntry {
  category: string;
  key: string;
  content: Record<string, unknown>;
  createdAt: string;
}

/**
 * Where proposals, their history and the counters live. Two adapters (Redis, embedded SQLite)
 * pass one contract suite. Every write is atomic: a transition checks status, version and the
 * idempotency key and appends its history entry in one step.
 */
export interface ProposalStore {
  readonly kind: 'redis' | 'embedded';
  /** Files a new pending proposal. ConflictError when its fingerprint already has an open proposal. */
  create(draft: ProposalDraft, options: CreateOptions): Promise<Proposal>;
  /** Updates an open proposal's content (a finding seen again). ConflictError on a stale version. */
  refresh(request: RefreshRequest): Promise<Proposal>;
  transition(request: TransitionRequest): Promise<TransitionResult>;
  /** Appends a history entry without moving the status; a replayed key answers 'duplicate'. */
  note(request: NoteRequest): Promise<TransitionResult>;
  get(id: string): Promise<Proposal | null>;
  /** The newest proposal ever filed for this fingerprint, whatever its status. */
  findByFingerprint(fingerprint: string): Promise<Proposal | null>;
  list(query: ListQuery): Promise<ListResult>;
  /** The same page as `list`, its rows left as the JSON text the store keeps (no parse, no re-encode). */
  listRows(query: ListQuery): Promise<ListRows>;
  /** Cumulative and current counters; they outlive expired proposals. */
  counters(): Promise<Record<string, number>>;
  recentActivity(limit: number): Promise<ActivityEntry[]>;
  /** Atomically takes one unit of a quota (e.g. auto-fixes per day); false when it is used up. */
  takeQuota(name: string, limit: number, ttlMs: number): Promise<boolean>;
  /** Records a measured gain, once per proposal (a second record for the same proposal replaces it). */
  recordGain(gain: PerformanceGain): Promise<void>;
  listGains(): Promise<PerformanceGain[]>;
  /** Records a change's measured outcome, once per proposal (a second record replaces the first). */
  recordOutcome(outcome: ChangeOutcome): Promise<void>;
  /** Every recorded outcome, newest measurement first. */
  listOutcomes(): Promise<ChangeOutcome[]>;
  /**
   * Records a deploy marker once per id. The same record again is a 'duplicate'; the same id with
   * other values is a 'conflict' and the first record stays. `deployment` is the one stored.
   */
  recordDeployment(deployment: Deployment): Promise<DeploymentRecordResult>;
  /** Deploy markers deployed in [from, to), oldest first. */
  listDeployments(window: { from: Date; to: Date }): Promise<Deployment[]>;
  /** Writes `knowledge:<category>:<key>`, replacing the entry of that key. */
  putKnowledge(entry: KnowledgeEntry): Promise<void>;
  getKnowledge(category: string, key: string): Promise<KnowledgeEntry | null>;
  /** Withdraws an entry; false when there was none. */
  deleteKnowledge(category: string, key: string): Promise<boolean>;
  listKnowledge(category: string | undefined, limit: number): Promise<KnowledgeEntry[]>;
  /** Deletes terminal proposals whose retention ended before `now`; returns how many. */
  sweepExpired(now: Date): Promise<number>;
  /** Throws StoreUnavailable when the store does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
