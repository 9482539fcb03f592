import type { Proposal } from '../domain/proposal.ts';

/** Applies an approved proposal's change somewhere safe and moves it to implemented or failed. */
export interface Executor {
  execute(proposal: Proposal, request: { actor: string; idempotencyKey: string }): Promise<Proposal>;
}
