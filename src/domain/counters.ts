import type { Proposal, ProposalStatus } from './proposal.ts';

/**
 * Counter names a store keeps. Cumulative counters only grow, so metrics survive the expiry of
 * old proposals; `current:*` counters track what is stored now.
 */
export interface CounterDelta {
  name: string;
  /** A whole number: 1 or -1 for counts, larger for tokens and micro-dollars. */
  by: number;
}

export function creationDeltas(proposal: Pick<Proposal, 'type' | 'category' | 'writerUsage'>): CounterDelta[] {
  const deltas: CounterDelta[] = [
    { name: 'proposed', by: 1 },
    { name: `proposed:type:${proposal.type}`, by: 1 },
    { name: 'current:status:pending', by: 1 },
  ];
  if (proposal.category) deltas.push({ name: `proposed:category:${proposal.category}`, by: 1 });
  const usage = proposal.writerUsage;
  if (usage && usage.requests > 0) {
    // What writing cost outlives the proposal, like every metric.
    deltas.push(
      { name: 'llm:proposals', by: 1 },
      { name: 'llm:requests', by: usage.requests },
      { name: 'llm:input_tokens', by: usage.inputTokens },
      { name: 'llm:output_tokens', by: usage.outputTokens },
      { name: 'llm:cache_read_tokens', by: usage.cacheReadInputTokens },
      { name: 'llm:cost_microusd', by: Math.round((usage.costUsd ?? 0) * 1e6) },
    );
  }
  return deltas.filter((d) => d.by !== 0);
}

export function transitionDeltas(proposal: Pick<Proposal, 'type' | 'category'>, from: ProposalStatus, to: ProposalStatus): CounterDelta[] {
  const deltas: CounterDelta[] = [
    { name: `current:status:${from}`, by: -1 },
    { name: `current:status:${to}`, by: 1 },
    { name: `entered:${to}`, by: 1 },
    { name: `entered:${to}:type:${proposal.type}`, by: 1 },
  ];
  if (proposal.category) deltas.push({ name: `entered:${to}:category:${proposal.category}`, by: 1 });
  // A retry (failed → approved) is not a second approval of the same proposal.
  if (to === 'approved' && from === 'pending') deltas.push({ name: 'decided:approved', by: 1 });
  if (to === 'rejected') deltas.push({ name: 'decided:rejected', by: 1 });
  return deltas;
}

export function expiryDeltas(status: ProposalStatus): CounterDelta[] {
  return [{ name: `current:status:${status}`, by: -1 }];
}
