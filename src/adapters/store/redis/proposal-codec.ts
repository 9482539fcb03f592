import type { HistoryEntry, Proposal } from '../../../domain/proposal.ts';
import type { ActivityEntry, ProposalSummary } from '../../../ports/store.ts';

/** A raw stream entry as ioredis returns it: [stream id, [field, value, field, value, ...]]. */
export type StreamEntry = [string, string[]];

/** The stored proposal JSON: everything but the history, which lives in its own stream. */
export function encodeProposal(proposal: Proposal): string {
  const { history: _history, ...doc } = proposal;
  return JSON.stringify(doc);
}

export function decodeProposal(doc: string, history: StreamEntry[]): Proposal {
  return { ...(JSON.parse(doc) as Omit<Proposal, 'history'>), history: history.map(decodeEntry<HistoryEntry>) };
}

function toSummary(proposal: Omit<Proposal, 'history'> & { history?: unknown }): ProposalSummary {
  const { patch, history: _history, ...rest } = proposal;
  return { ...rest, hasPatch: typeof patch === 'string' && patch.length > 0 };
}

/** The list row stored beside the proposal (keys.rows): what a list shows, decoded with one JSON.parse. */
export function encodeRow(proposal: Omit<Proposal, 'history'> & { history?: unknown }): string {
  return JSON.stringify(toSummary(proposal));
}

export function activityEntry(proposal: Proposal, entry: HistoryEntry): string {
  const activity: ActivityEntry = { ...entry, proposalId: proposal.id, type: proposal.type, title: proposal.title };
  return JSON.stringify(activity);
}

/** Stream entries carry one field, `entry`, holding the JSON; other fields are ignored. */
export function decodeEntry<T>([, fields]: StreamEntry): T {
  const at = fields.indexOf('entry');
  const json = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (json === undefined) throw new Error('A history stream entry has no "entry" field');
  return JSON.parse(json) as T;
}
