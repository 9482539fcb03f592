import type { Finding } from '../domain/finding.ts';
import type { Proposal, ProposalDraft } from '../domain/proposal.ts';

/** What writing a cycle's proposals cost, as the cycle report shows it. */
export interface WriterUsage {
  model: string;
  /** Proposals the model wrote, and those that fell back to the template writer (with why). */
  writtenByModel: number;
  fallbacks: number;
  fallbackReasons: Record<string, number>;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** All four token kinds: what the cycle token budget counts. */
  totalTokens: number;
  /** null if any request used a model without a price. */
  costUsd: number | null;
  tokenBudget: number | null;
  budgetExhausted: boolean;
}

/** Turns a finding into a proposal's text: templates offline, Claude online. */
export interface ProposalWriter {
  readonly name: string;
  write(finding: Finding): Promise<ProposalDraft>;
  /** Starts a cycle's token budget and usage ledger (writers that spend tokens). */
  beginCycle?(): void;
  /** What this cycle's writing cost so far. */
  cycleUsage?(): WriterUsage;
  /**
   * A revised patch for a proposal, following a person's instructions and the review comments on
   * record. Absent on writers that cannot (the offline templates). Rejects with RevisionFailed when
   * no usable patch came back; nothing is tried or stored by the writer itself.
   */
  revise?(request: RevisionRequest): Promise<RevisedPatch>;
}

/** What a writer is given to revise a patch: all of it text from people or code, untrusted by the writer. */
export interface RevisionRequest {
  proposal: Pick<Proposal, 'id' | 'type' | 'title' | 'summary' | 'implementationPlan' | 'subject'> & Partial<Pick<Proposal, 'category'>>;
  /** The patch as it stands (the one on the branch, or the one awaiting execution). */
  patch: string;
  /** What the person who asked wants changed. */
  instructions: string;
  /** Review comments and reviews on record, oldest first. */
  reviewComments: { author: string; text: string }[];
  /** Why the last trial or execution of this patch failed, when it did. */
  lastFailure?: string;
}

export interface RevisedPatch {
  /** A unified diff against the same base as the patch it replaces (a whole patch, not a patch on top). */
  patch: string;
  /** The revised patch adds, edits or deletes test files. */
  changesTests: boolean;
  /** One or two sentences for the history and the pull request: what changed and why. */
  explanation: string;
  /** Who wrote it: a model name. */
  writtenBy: string;
}
