import { randomBytes } from 'node:crypto';
import type { ProposalType } from './proposal.ts';

/** Ids go into Redis keys, URLs and Slack button values, so they stay within [a-z0-9-]. */
export const PROPOSAL_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,79}$/;

export function newProposalId(type: ProposalType, now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `${type.replace('_', '')}-${day}-${randomBytes(5).toString('hex')}`;
}

export function isProposalId(value: unknown): value is string {
  return typeof value === 'string' && PROPOSAL_ID_PATTERN.test(value);
}
