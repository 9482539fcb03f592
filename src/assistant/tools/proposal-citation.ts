import { isProposalId } from '../../domain/ids.ts';
import type { Proposal } from '../../domain/proposal.ts';
import type { ProposalSummary } from '../../ports/store.ts';
import type { Citation } from '../citation.ts';
import type { AssistantSources } from '../sources.ts';
import { ToolInputError } from './tool.ts';

export async function proposalCitation(
  proposal: Pick<ProposalSummary, 'id' | 'title' | 'version'>,
  sources: AssistantSources,
): Promise<Citation> {
  const link = await sources.proposalLink?.(proposal.id).catch(() => undefined);
  return { kind: 'proposal', proposalId: proposal.id, title: proposal.title, version: proposal.version, ...(link ? { link } : {}) };
}

/** Ids are the store's ([a-z0-9_-]); anything else is refused before it reaches the store. */
export async function requireProposal(id: string, sources: AssistantSources): Promise<Proposal> {
  if (!isProposalId(id)) throw new ToolInputError(`"${String(id).slice(0, 40)}" is not a proposal id`);
  const proposal = await sources.store.get(id);
  if (!proposal) throw new ToolInputError(`no proposal with id ${id}`);
  return proposal;
}
