import { ConflictError, IllegalTransition } from './errors.ts';
import { ACTION_FOR, TRANSITIONS } from './lifecycle.ts';
import { creationDeltas, transitionDeltas, type CounterDelta } from './counters.ts';
import { isOpen, type HistoryEntry, type Proposal, type ProposalDraft } from './proposal.ts';
import type { NoteRequest, RefreshRequest, TransitionRequest } from './requests.ts';

/** A write a store must apply atomically if, and only if, the proposal is still at `baseVersion`. */
export interface PlannedWrite {
  baseVersion: number;
  next: Proposal;
  entry: HistoryEntry;
  deltas: CounterDelta[];
}

/** ConflictError when the caller saw another version than the one stored (a fencing check); no check without one. */
export function assertVersion(current: Pick<Proposal, 'id' | 'version' | 'status'>, expectedVersion: number | undefined): void {
  if (expectedVersion === undefined || expectedVersion === current.version) return;
  throw new ConflictError(
    current.id,
    `Proposal ${current.id} changed meanwhile (version ${current.version}, expected ${expectedVersion}); it is ${current.status}`,
    current.status,
    current.version,
  );
}

/**
 * Decides a transition against the proposal as read. Stores call this, then apply the result with
 * a compare-and-set on the version, so the decision and the write cannot be split by another writer.
 */
export function planTransition(current: Proposal, request: TransitionRequest, now: Date): PlannedWrite {
  assertVersion(current, request.expectedVersion);
  if (request.expectedStatus !== undefined && request.expectedStatus !== current.status) {
    throw conflictMovedOn(current);
  }
  if (!TRANSITIONS[current.status].includes(request.to)) {
    throw new IllegalTransition(current.id, current.status, request.to, TRANSITIONS[current.status]);
  }
  const at = now.toISOString();
  const entry: HistoryEntry = {
    version: current.version + 1,
    at,
    actor: request.actor,
    action: ACTION_FOR[request.to],
    from: current.status,
    to: request.to,
    ...(request.reason ? { reason: request.reason } : {}),
  };
  const next: Proposal = {
    ...current,
    ...(request.changes ?? {}),
    status: request.to,
    version: entry.version,
    updatedAt: at,
    history: [...current.history, entry],
  };
  return { baseVersion: current.version, next, entry, deltas: transitionDeltas(current, current.status, request.to) };
}

export function conflictMovedOn(current: Proposal): ConflictError {
  const last = current.history[current.history.length - 1];
  const by = last ? ` by ${last.actor} at ${last.at}` : '';
  return new ConflictError(current.id, `Proposal ${current.id} is already ${current.status}${by}`, current.status, current.version);
}

export function planRefresh(current: Proposal, request: RefreshRequest, now: Date): PlannedWrite {
  assertVersion(current, request.expectedVersion);
  if (!isOpen(current.status)) {
    throw new ConflictError(
      current.id,
      `Proposal ${current.id} is ${current.status} and can no longer be updated`,
      current.status,
      current.version,
    );
  }
  const at = now.toISOString();
  const entry: HistoryEntry = {
    version: current.version + 1,
    at,
    actor: request.actor,
    action: 'evidence_updated',
    from: current.status,
    to: current.status,
    ...(request.reason ? { reason: request.reason } : {}),
  };
  const { title, summary, evidence, priority, magnitude } = request.refresh;
  const next: Proposal = {
    ...current,
    ...(title !== undefined ? { title } : {}),
    ...(summary !== undefined ? { summary } : {}),
    ...(evidence !== undefined ? { evidence } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(magnitude !== undefined ? { magnitude } : {}),
    version: entry.version,
    updatedAt: at,
    history: [...current.history, entry],
  };
  return { baseVersion: current.version, next, entry, deltas: [] };
}

/** A history entry in place: any status, no counters; the action names what happened. */
export function planNote(current: Proposal, request: NoteRequest, now: Date): PlannedWrite {
  const at = now.toISOString();
  const entry: HistoryEntry = {
    version: current.version + 1,
    at,
    actor: request.actor,
    action: request.action,
    from: current.status,
    to: current.status,
    ...(request.reason ? { reason: request.reason.slice(0, 2000) } : {}),
  };
  const next: Proposal = {
    ...current,
    ...(request.changes ?? {}),
    version: entry.version,
    updatedAt: at,
    history: [...current.history, entry],
  };
  return { baseVersion: current.version, next, entry, deltas: [] };
}

export function planCreation(draft: ProposalDraft, id: string, actor: string, now: Date): PlannedWrite {
  const at = now.toISOString();
  const entry: HistoryEntry = { version: 1, at, actor, action: 'created', from: null, to: 'pending' };
  const next: Proposal = {
    ...draft,
    id,
    status: 'pending',
    version: 1,
    createdAt: at,
    updatedAt: at,
    history: [entry],
  };
  return { baseVersion: 0, next, entry, deltas: creationDeltas(draft) };
}
