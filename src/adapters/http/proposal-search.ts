import type { ListQuery, ListResult, ProposalStore, ProposalSummary } from '../../ports/store.ts';

/** The store's largest page. */
const SCAN_PAGE = 500;

export interface SearchQuery extends ListQuery {
  /** Words that must all appear, in any case, in the title or the summary. */
  q: string;
}

/** Lower-cased words of the query; the order of words does not matter. */
export function searchWords(q: string): string[] {
  return q.toLowerCase().split(/\s+/).filter(Boolean);
}

export function matches(proposal: Pick<ProposalSummary, 'title' | 'summary'>, words: readonly string[]): boolean {
  const text = `${proposal.title}\n${proposal.summary}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

/**
 * Text search over the list the store would return for the same status and type, newest first,
 * with `total` counting the matches. The store has no text index, so this reads the filtered list in
 * pages of 500 and matches here: fine for the hundreds to low thousands of proposals a team keeps
 * (terminal ones expire after PROPOSAL_RETENTION_DAYS). A proposal filed during the scan can shift
 * the pages; ids seen twice are counted once.
 */
export async function searchProposals(store: ProposalStore, query: SearchQuery): Promise<ListResult> {
  const words = searchWords(query.q);
  const filter = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.type ? { type: query.type } : {}),
    ...(query.sort ? { sort: query.sort } : {}),
    ...(query.direction ? { direction: query.direction } : {}),
  };
  const seen = new Set<string>();
  const found: ProposalSummary[] = [];
  for (let offset = 0; ; offset += SCAN_PAGE) {
    const page = await store.list({ ...filter, limit: SCAN_PAGE, offset });
    for (const proposal of page.items) {
      if (seen.has(proposal.id)) continue;
      seen.add(proposal.id);
      if (matches(proposal, words)) found.push(proposal);
    }
    if (page.items.length < SCAN_PAGE || offset + SCAN_PAGE >= page.total) break;
  }
  return { items: found.slice(query.offset, query.offset + query.limit), total: found.length };
}
