import type { Finding } from '../domain/finding.ts';
import type { ProposalDraft } from '../domain/proposal.ts';

/** Turns a finding into a proposal's text: templates offline, Claude online. */
export interface ProposalWriter {
  readonly name: string;
  write(finding: Finding): Promise<ProposalDraft>;
}
