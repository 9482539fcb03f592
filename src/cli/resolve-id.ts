import { ProposalNotFound, ValidationError } from '../domain/errors.ts';
import type { ProposalStore } from '../ports/store.ts';
import { requireProposalId } from './arguments.ts';

const PAGE = 500;
/** Candidates named in an ambiguity error, at most: enough to pick from, short enough to read. */
const SHOWN = 10;

/**
 * The id a person typed, or the one proposal whose id begins with it (`proposals show codequality-2026-7f`).
 * An exact id is taken as it is, without a scan; a prefix several ids share is refused, naming them.
 */
export async function resolveProposalId(store: ProposalStore, typed: string): Promise<string> {
  const given = requireProposalId(typed);
  if (await store.get(given)) return given;
  const matches: string[] = [];
  // Newest first, page by page: the store has no prefix index, and a person waits on this only when
  // the id is not exact. Two matches are enough to refuse, but the error names every one it can.
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.list({ limit: PAGE, offset });
    for (const item of page.items) if (item.id.startsWith(given)) matches.push(item.id);
    if (page.items.length < PAGE || offset + PAGE >= page.total) break;
  }
  if (matches.length === 1) return matches[0]!;
  if (!matches.length) throw new ProposalNotFound(given);
  const more = matches.length > SHOWN ? `, and ${matches.length - SHOWN} more` : '';
  throw new ValidationError(
    `"${given}" is the beginning of ${matches.length} proposal ids: ${matches.slice(0, SHOWN).join(', ')}${more}; type more of the one you mean`,
  );
}
